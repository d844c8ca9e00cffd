/*
 * The entmc peer sub-model, in Promela for SPIN (docs/peers.md).
 *
 * The same bounded world, semantics and state as bench/peers/submodel.m (read
 * its header) and scenarios/models/peer-submodel.yaml; model/*.cpp is the
 * truth, and each inline below names the C++ rule it mirrors.
 *
 * One process runs a loop with one option per call of the explored domains.
 * Each option is a d_step whose first statement is the guard (exactly when
 * entmc's rule succeeds in this world), so a failing call is a disabled
 * option and each successful call is one transition with no intermediate
 * states. A call whose successor would break a cap (at most G grants, every
 * version at most V) is undone from the before-image, so that successor is
 * discarded, as entmc's state constraints discard it; the W cap (running
 * workloads in all) is in LaunchWorkload's guard.
 *
 * Sizes: compile with -DNACC=.. -DNMEM=.. -DG=.. -DV=.. -DW=..
 * (NACC <= 4, G <= 6).
 */

#ifndef NACC
#define NACC 3 /* accounts: 0 = management, 1..NMEM members, the rest outside */
#endif
#ifndef NMEM
#define NMEM 1
#endif
#ifndef G
#define G 3 /* at most G grants */
#endif
#ifndef V
#define V 3 /* every grant version at most V */
#endif
#ifndef W
#define W 1 /* at most W running workloads in all */
#endif

#define ORG NACC /* grantee of a grant to the organization ID (an org parent) */
#define NONE G   /* no parent */

/* entmc's GrantStatus values the sub-model reaches */
#define PENDING_ACCEPT 0
#define REJECTED 1
#define ACTIVE 2
#define DELETED 3
#define DISABLED 4
#define WORKFLOW_COMPLETED 5
/* entmc's status reasons the sub-model reaches: none, "Account left the
   organization" (2), "Not activated: ... already has an active license" (5) */
#define R_NONE 0
#define R_LEFT_ORG 1
#define R_FAILED_ACTIVE 2

typedef GrantRec {
  byte grantee;
  byte parent;
  byte version; /* 0 only in unused slots */
  byte status;
  bit bulk;     /* kBulkActive (org parents only) */
  byte reason
};

/* The state: grants in creation order, membership and open invitations as
   bit sets over accounts, running workloads per account (one product). */
GrantRec gr[G];
byte ng;
byte member = (1 << (NMEM + 1)) - 1; /* M is the management account */
byte invited;
byte running[NACC];

/* Scratch and the before-image of the current call: not part of the state. */
hidden GrantRec bk[G];
hidden byte bk_ng, bk_member, bk_invited;
hidden byte bk_running[NACC];
hidden byte over, i, k, op, fc, anyc, par, acc, tot;

#define MEMBER(x) ((member >> (x)) & 1)
#define INVITED(x) ((invited >> (x)) & 1)
#define TERMINAL(s) ((s) == REJECTED || (s) == DELETED)

/* ACTIVE(x, g, i): grant i (not g) is an ACTIVE grant received by x. Unused
   slots have status PENDING_ACCEPT, so no bound check on ng is needed. */
#define ACT(x, g, n) ((n) != (g) && gr[n].grantee == (x) && gr[n].status == ACTIVE)
#if G == 1
#define OTHER_ACTIVE(x, g) (ACT(x, g, 0))
#elif G == 2
#define OTHER_ACTIVE(x, g) (ACT(x, g, 0) || ACT(x, g, 1))
#elif G == 3
#define OTHER_ACTIVE(x, g) (ACT(x, g, 0) || ACT(x, g, 1) || ACT(x, g, 2))
#elif G == 4
#define OTHER_ACTIVE(x, g) (ACT(x, g, 0) || ACT(x, g, 1) || ACT(x, g, 2) || ACT(x, g, 3))
#elif G == 5
#define OTHER_ACTIVE(x, g) (ACT(x, g, 0) || ACT(x, g, 1) || ACT(x, g, 2) || ACT(x, g, 3) || ACT(x, g, 4))
#elif G == 6
#define OTHER_ACTIVE(x, g) \
  (ACT(x, g, 0) || ACT(x, g, 1) || ACT(x, g, 2) || ACT(x, g, 3) || ACT(x, g, 4) || ACT(x, g, 5))
#endif

/* activation.cpp activation_blocker(g, NONE): the license is always AVAILABLE
   and M always an administrator; only M owns a subscription and M never
   receives a grant; an org child needs a member recipient; then no other
   ACTIVE grant for the recipient (one active license per product). */
#define CAN_ACTIVATE(g) \
  ((gr[g].parent == NONE || MEMBER(gr[g].grantee)) && !OTHER_ACTIVE(gr[g].grantee, g))
/* entitlement.cpp entitled: M by its own subscription, others by an ACTIVE grant */
#define ENTITLED(x) ((x) == 0 || OTHER_ACTIVE(x, NONE))

#if NACC == 2
#define TOTAL_RUNNING (running[0] + running[1])
#elif NACC == 3
#define TOTAL_RUNNING (running[0] + running[1] + running[2])
#elif NACC == 4
#define TOTAL_RUNNING (running[0] + running[1] + running[2] + running[3])
#endif

/* ------------------------------------------------------------ guards */

/* grant_lifecycle.cpp create_grant: only M owns a license (a member has the
   Marketplace role through trusted access but is not the owner; an outsider
   has none); M cannot grant to itself. */
#define CAN_CREATE_GRANT(c, p) ((c) == 0 && (p) != 0)
/* accept_grant: the recipient, PENDING_ACCEPT (an org parent has no recipient) */
#define CAN_ACCEPT(c, g) ((g) < ng && gr[g].grantee == (c) && gr[g].status == PENDING_ACCEPT)
/* reject_grant: the recipient, any non-terminal status but ACTIVE */
#define CAN_REJECT(c, g) \
  ((g) < ng && gr[g].grantee == (c) && !TERMINAL(gr[g].status) && gr[g].status != ACTIVE)
/* create_grant_version with a Status, no Version/name/reason: the grantor (M)
   or the recipient; an org parent is bulk-set; PENDING_ACCEPT cannot change
   status; ACTIVE passes the one-active-license rule. */
#define CAN_SET_VERSION(c, g, st) \
  ((g) < ng && !TERMINAL(gr[g].status) && ((c) == 0 || gr[g].grantee == (c)) && \
   (gr[g].grantee == ORG || (gr[g].status != PENDING_ACCEPT && ((st) == DISABLED || CAN_ACTIVATE(g)))))
/* delete_grant with the current Version: the grantor, not terminal, not an org child */
#define CAN_DELETE(c, g) ((c) == 0 && (g) < ng && !TERMINAL(gr[g].status) && gr[g].parent == NONE)
/* organization.cpp */
#define CAN_INVITE(c, x) ((c) == 0 && !MEMBER(x) && !INVITED(x))
#define CAN_REMOVE(c, x) ((c) == 0 && (x) != 0 && MEMBER(x))
#define CAN_ACCEPT_HANDSHAKE(c) (INVITED(c) && !MEMBER(c))
/* workloads.cpp */
#define CAN_LAUNCH(c) (ENTITLED(c) && TOTAL_RUNNING < W)
#define CAN_STOP(c) (running[c] > 0)

/* ------------------------------------------------------------ mutations */

inline save() {
  i = 0;
  do
  :: i == G -> break
  :: else ->
     bk[i].grantee = gr[i].grantee; bk[i].parent = gr[i].parent; bk[i].version = gr[i].version;
     bk[i].status = gr[i].status; bk[i].bulk = gr[i].bulk; bk[i].reason = gr[i].reason;
     i++
  od;
  i = 0;
  do
  :: i == NACC -> break
  :: else -> bk_running[i] = running[i]; i++
  od;
  bk_ng = ng; bk_member = member; bk_invited = invited; over = 0
}

inline restore() {
  i = 0;
  do
  :: i == G -> break
  :: else ->
     gr[i].grantee = bk[i].grantee; gr[i].parent = bk[i].parent; gr[i].version = bk[i].version;
     gr[i].status = bk[i].status; gr[i].bulk = bk[i].bulk; gr[i].reason = bk[i].reason;
     i++
  od;
  i = 0;
  do
  :: i == NACC -> break
  :: else -> running[i] = bk_running[i]; i++
  od;
  ng = bk_ng; member = bk_member; invited = bk_invited
}

/* Properties. State: one active license per product and account; an ACTIVE
   org child has a member recipient. Transition (against the before-image):
   a terminal grant never changes; only the account's own StopWorkload lowers
   its running workloads. */
inline check(stopper) {
  i = 0;
  do
  :: i == G -> break
  :: else ->
     assert(!(gr[i].status == ACTIVE && OTHER_ACTIVE(gr[i].grantee, i)));
     assert(!(gr[i].status == ACTIVE && gr[i].parent != NONE && !MEMBER(gr[i].grantee)));
     assert(!(i < bk_ng && TERMINAL(bk[i].status)) ||
            (gr[i].status == bk[i].status && gr[i].version == bk[i].version));
     i++
  od;
  i = 0;
  do
  :: i == NACC -> break
  :: else -> assert(i == stopper || running[i] >= bk_running[i]); i++
  od
}

/* Ends a call: undo a successor that broke a cap, else check it. */
inline finish(stopper) {
  if
  :: over -> restore()
  :: else -> check(stopper)
  fi
}

/* changes_log.h set_grant_status: one new version; R_NONE keeps the reason. */
inline set_status(g, st, r) {
  if
  :: gr[g].version == V -> over = 1
  :: else ->
     gr[g].status = st;
     if
     :: r != R_NONE -> gr[g].reason = r
     :: else -> skip
     fi;
     gr[g].version++
  fi
}

inline add_grant(to, from_parent, st) {
  if
  :: ng == G -> over = 1
  :: else ->
     gr[ng].grantee = to; gr[ng].parent = from_parent; gr[ng].version = 1;
     gr[ng].status = st; gr[ng].bulk = 0; gr[ng].reason = R_NONE;
     ng++
  fi
}

/* org_grants.cpp try_activate_child */
inline try_activate_child(ch) {
  if
  :: CAN_ACTIVATE(ch) -> set_status(ch, ACTIVE, R_NONE)
  :: else ->
     if
     :: gr[ch].reason != R_FAILED_ACTIVE ->
        if
        :: gr[ch].version == V -> over = 1
        :: else -> gr[ch].reason = R_FAILED_ACTIVE; gr[ch].version++
        fi
     :: else -> skip
     fi
  fi
}

/* org_grants.cpp bulk_set_status: children newest first, then the parent
   becomes WORKFLOW_COMPLETED. */
inline bulk_set_status(p, st) {
  k = G;
  do
  :: k == 0 -> break
  :: else ->
     k--;
     if
     :: k < ng && !over && gr[k].parent == p && !TERMINAL(gr[k].status) && MEMBER(gr[k].grantee) ->
        if
        :: st == ACTIVE && gr[k].status != ACTIVE -> try_activate_child(k)
        :: st != ACTIVE && gr[k].status == ACTIVE -> set_status(k, DISABLED, R_NONE)
        :: else -> skip
        fi
     :: else -> skip
     fi
  od;
  gr[p].bulk = (st == ACTIVE);
  set_status(p, WORKFLOW_COMPLETED, R_NONE)
}

/* entitlement.cpp find_org_child: newest non-terminal child of p for x, else
   the newest, else NONE; into fc. */
inline find_org_child(p, x) {
  fc = NONE; anyc = NONE; k = G;
  do
  :: k == 0 -> break
  :: else ->
     k--;
     if
     :: k < ng && gr[k].parent == p && gr[k].grantee == x && !TERMINAL(gr[k].status) -> fc = k; break
     :: k < ng && gr[k].parent == p && gr[k].grantee == x && TERMINAL(gr[k].status) && anyc == NONE -> anyc = k
     :: else -> skip
     fi
  od;
  if
  :: fc == NONE -> fc = anyc
  :: else -> skip
  fi
}

/* org_grants.cpp on_account_joined: organization grants in creation order */
inline on_account_joined(x) {
  op = 0;
  do
  :: op == G -> break
  :: else ->
     if
     :: op < ng && !over && gr[op].grantee == ORG && gr[op].status != DELETED ->
        find_org_child(op, x);
        if
        :: fc == NONE || TERMINAL(gr[fc].status) -> add_grant(x, op, DISABLED); fc = ng - 1
        :: else -> skip
        fi;
        if
        :: !over && gr[op].bulk -> try_activate_child(fc)
        :: else -> skip
        fi
     :: else -> skip
     fi;
     op++
  od
}

/* grant_lifecycle.cpp create_grant / org_grants.cpp create_org_grant: the
   parent, then one auto-accepted child per member but M, in account order;
   a grant to a member is auto-accepted (DISABLED). */
inline create_grant(p) {
  if
  :: p == ORG ->
     add_grant(ORG, NONE, DISABLED);
     par = ng - 1; acc = 1;
     do
     :: acc == NACC -> break
     :: else ->
        if
        :: MEMBER(acc) && !over -> add_grant(acc, par, DISABLED)
        :: else -> skip
        fi;
        acc++
     od
  :: p != ORG && MEMBER(p) -> add_grant(p, NONE, DISABLED)
  :: else -> add_grant(p, NONE, PENDING_ACCEPT)
  fi
}

inline set_version(g, st) {
  if
  :: gr[g].grantee == ORG -> bulk_set_status(g, st)
  :: else -> set_status(g, st, R_NONE)
  fi
}

/* grant_lifecycle.cpp delete_grant: an org parent takes its children along */
inline delete_grant(g) {
  if
  :: gr[g].grantee == ORG ->
     k = G;
     do
     :: k == 0 -> break
     :: else ->
        k--;
        if
        :: k < ng && !over && gr[k].parent == g && !TERMINAL(gr[k].status) -> set_status(k, DELETED, R_NONE)
        :: else -> skip
        fi
     od;
     gr[g].bulk = 0
  :: else -> skip
  fi;
  set_status(g, DELETED, R_NONE)
}

/* organization.cpp remove_account -> org_grants.cpp on_account_left */
inline remove_account(x) {
  member = member & ~(1 << x);
  k = G;
  do
  :: k == 0 -> break
  :: else ->
     k--;
     if
     :: k < ng && !over && gr[k].grantee == x && gr[k].parent != NONE && gr[k].status == ACTIVE ->
        set_status(k, DISABLED, R_LEFT_ORG)
     :: else -> skip
     fi
  od
}

/* ------------------------------------------------------------ the calls */

#define CREATE_GRANT(c, p) \
  :: d_step { CAN_CREATE_GRANT(c, p) -> save(); create_grant(p); finish(NACC) }
#define GRANT_CALLS(c, g) \
  :: d_step { CAN_ACCEPT(c, g) -> save(); set_status(g, DISABLED, R_NONE); finish(NACC) } \
  :: d_step { CAN_REJECT(c, g) -> save(); set_status(g, REJECTED, R_NONE); finish(NACC) } \
  :: d_step { CAN_SET_VERSION(c, g, ACTIVE) -> save(); set_version(g, ACTIVE); finish(NACC) } \
  :: d_step { CAN_SET_VERSION(c, g, DISABLED) -> save(); set_version(g, DISABLED); finish(NACC) } \
  :: d_step { CAN_DELETE(c, g) -> save(); delete_grant(g); finish(NACC) }
#define ACCOUNT_CALLS(c, x) \
  :: d_step { CAN_INVITE(c, x) -> save(); invited = invited | (1 << x); finish(NACC) } \
  :: d_step { CAN_REMOVE(c, x) -> save(); remove_account(x); finish(NACC) }
#define CALLER_CALLS(c) \
  :: d_step { CAN_ACCEPT_HANDSHAKE(c) -> save(); invited = invited & ~(1 << c); member = member | (1 << c); \
              on_account_joined(c); finish(NACC) } \
  :: d_step { CAN_LAUNCH(c) -> save(); running[c]++; finish(NACC) } \
  :: d_step { CAN_STOP(c) -> save(); running[c]--; finish(c) }

/* Unrolling over the domains: accounts 0..NACC-1, principals 0..NACC (NACC
   = the organization ID), grants 0..G-1. */
#if NACC > 3
#define ACC3(M, a) M(a, 3)
#else
#define ACC3(M, a)
#endif
#define EACH_ACCOUNT(M, a) M(a, 0) M(a, 1) M(a, 2) ACC3(M, a)
#define EACH_PRINCIPAL(M, a) EACH_ACCOUNT(M, a) M(a, NACC)
#if G > 3
#define G3(M, a) M(a, 3)
#else
#define G3(M, a)
#endif
#if G > 4
#define G4(M, a) M(a, 4)
#else
#define G4(M, a)
#endif
#if G > 5
#define G5(M, a) M(a, 5)
#else
#define G5(M, a)
#endif
#define EACH_GRANT(M, a) M(a, 0) M(a, 1) M(a, 2) G3(M, a) G4(M, a) G5(M, a)
#define CALLS_OF(c) \
  EACH_PRINCIPAL(CREATE_GRANT, c) EACH_GRANT(GRANT_CALLS, c) EACH_ACCOUNT(ACCOUNT_CALLS, c) CALLER_CALLS(c)

active proctype entmc() {
  do
  CALLS_OF(0)
  CALLS_OF(1)
  CALLS_OF(2)
#if NACC > 3
  CALLS_OF(3)
#endif
  od
}
