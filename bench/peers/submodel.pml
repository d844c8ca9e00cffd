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
 * states.
 *
 * Caps: entmc's max_grants G, max_grant_version V, max_running W are state
 * constraints in TLC's way (engine/bounds.h): a state beyond a cap is stored
 * and checked but not expanded. Here every guard includes WITHIN_CAPS, and
 * the loop head is an end state (a state beyond the caps has no successor).
 * From a state within the caps one call creates at most max(NACC, G) grants,
 * so GMAX = G + max(NACC, G) slots hold every state entmc stores.
 *
 * Sizes: compile with -DNACC=.. -DNMEM=.. -DG=.. -DV=.. -DW=..
 * (3 <= NACC <= 4, 3 <= G, GMAX <= 8).
 */

#ifndef NACC
#define NACC 3 /* accounts: 0 = management, 1..NMEM members, the rest outside */
#endif
#ifndef NMEM
#define NMEM 1
#endif
#ifndef G
#define G 3 /* max_grants */
#endif
#ifndef V
#define V 2 /* max_grant_version */
#endif
#ifndef W
#define W 1 /* max_running (per account and product) */
#endif
#if NACC > G
#define GMAX (G + NACC)
#else
#define GMAX (G + G)
#endif

#define ORG NACC  /* grantee of a grant to the organization ID (an org parent) */
#define NONE GMAX /* no parent */

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
GrantRec gr[GMAX];
byte ng;
byte member = (1 << (NMEM + 1)) - 1; /* M is the management account */
byte invited;
byte running[NACC];

/* Scratch and the before-image of the current call: not part of the state. */
hidden GrantRec bk[GMAX];
hidden byte bk_ng, bk_member, bk_invited;
hidden byte bk_running[NACC];
hidden byte i, k, op, fc, anyc, par, acc;

#define MEMBER(x) ((member >> (x)) & 1)
#define INVITED(x) ((invited >> (x)) & 1)
#define TERMINAL(s) ((s) == REJECTED || (s) == DELETED)

/* ACTIVE(x, g, i): grant i (not g) is an ACTIVE grant received by x. Unused
   slots have status PENDING_ACCEPT, so no bound check on ng is needed. */
#define ACT(x, g, n) ((n) != (g) && gr[n].grantee == (x) && gr[n].status == ACTIVE)
#define ACT_UP_TO_6(x, g) \
  (ACT(x, g, 0) || ACT(x, g, 1) || ACT(x, g, 2) || ACT(x, g, 3) || ACT(x, g, 4) || ACT(x, g, 5))
#if GMAX == 6
#define OTHER_ACTIVE(x, g) ACT_UP_TO_6(x, g)
#elif GMAX == 7
#define OTHER_ACTIVE(x, g) (ACT_UP_TO_6(x, g) || ACT(x, g, 6))
#elif GMAX == 8
#define OTHER_ACTIVE(x, g) (ACT_UP_TO_6(x, g) || ACT(x, g, 6) || ACT(x, g, 7))
#endif

/* activation.cpp activation_blocker(g, NONE): the license is always AVAILABLE
   and M always an administrator; only M owns a subscription and M never
   receives a grant; an org child needs a member recipient; then no other
   ACTIVE grant for the recipient (one active license per product). */
#define CAN_ACTIVATE(g) \
  ((gr[g].parent == NONE || MEMBER(gr[g].grantee)) && !OTHER_ACTIVE(gr[g].grantee, g))
/* entitlement.cpp entitled: M by its own subscription, others by an ACTIVE grant */
#define ENTITLED(x) ((x) == 0 || OTHER_ACTIVE(x, NONE))

/* engine/bounds.cpp beyond_caps, negated; part of every guard */
#define VER_OK(n) (gr[n].version <= V)
#if GMAX == 6
#define VERS_6_7 1
#elif GMAX == 7
#define VERS_6_7 VER_OK(6)
#elif GMAX == 8
#define VERS_6_7 (VER_OK(6) && VER_OK(7))
#endif
#define VERSIONS_OK (VER_OK(0) && VER_OK(1) && VER_OK(2) && VER_OK(3) && VER_OK(4) && VER_OK(5) && VERS_6_7)
#if NACC == 3
#define RUNNING_OK (running[0] <= W && running[1] <= W && running[2] <= W)
#elif NACC == 4
#define RUNNING_OK (running[0] <= W && running[1] <= W && running[2] <= W && running[3] <= W)
#endif
#define WITHIN_CAPS (ng <= G && VERSIONS_OK && RUNNING_OK)

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
#define CAN_LAUNCH(c) ENTITLED(c)
#define CAN_STOP(c) (running[c] > 0)

/* ------------------------------------------------------------ mutations */

inline save() {
  i = 0;
  do
  :: i == GMAX -> break
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
  bk_ng = ng; bk_member = member; bk_invited = invited
}

/* Properties. State: one active license per product and account; an ACTIVE
   org child has a member recipient. Transition (against the before-image):
   a terminal grant never changes; only the account's own StopWorkload lowers
   its running workloads. */
inline check(stopper) {
  i = 0;
  do
  :: i == GMAX -> break
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
  od;
  i = 0 /* a d_step must not end in a loop (its break would leave the d_step) */
}

/* changes_log.h set_grant_status: one new version; R_NONE keeps the reason. */
inline set_status(g, st, r) {
  gr[g].status = st;
  if
  :: r != R_NONE -> gr[g].reason = r
  :: else -> skip
  fi;
  gr[g].version++
}

inline add_grant(to, from_parent, st) {
  assert(ng < GMAX); /* GMAX holds every grant a call can create */
  gr[ng].grantee = to; gr[ng].parent = from_parent; gr[ng].version = 1;
  gr[ng].status = st; gr[ng].bulk = 0; gr[ng].reason = R_NONE;
  ng++
}

/* org_grants.cpp try_activate_child */
inline try_activate_child(ch) {
  if
  :: CAN_ACTIVATE(ch) -> set_status(ch, ACTIVE, R_NONE)
  :: else ->
     if
     :: gr[ch].reason != R_FAILED_ACTIVE -> gr[ch].reason = R_FAILED_ACTIVE; gr[ch].version++
     :: else -> skip
     fi
  fi
}

/* org_grants.cpp bulk_set_status: children newest first, then the parent
   becomes WORKFLOW_COMPLETED. */
inline bulk_set_status(p, st) {
  k = GMAX;
  do
  :: k == 0 -> break
  :: else ->
     k--;
     if
     :: k < ng && gr[k].parent == p && !TERMINAL(gr[k].status) && MEMBER(gr[k].grantee) ->
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
  fc = NONE; anyc = NONE; k = GMAX;
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
  :: op == GMAX -> break
  :: else ->
     if
     :: op < ng && gr[op].grantee == ORG && gr[op].status != DELETED ->
        find_org_child(op, x);
        if
        :: fc == NONE || TERMINAL(gr[fc].status) -> add_grant(x, op, DISABLED); fc = ng - 1
        :: else -> skip
        fi;
        if
        :: gr[op].bulk -> try_activate_child(fc)
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
        :: MEMBER(acc) -> add_grant(acc, par, DISABLED)
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
     k = GMAX;
     do
     :: k == 0 -> break
     :: else ->
        k--;
        if
        :: k < ng && gr[k].parent == g && !TERMINAL(gr[k].status) -> set_status(k, DELETED, R_NONE)
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
  k = GMAX;
  do
  :: k == 0 -> break
  :: else ->
     k--;
     if
     :: k < ng && gr[k].grantee == x && gr[k].parent != NONE && gr[k].status == ACTIVE ->
        set_status(k, DISABLED, R_LEFT_ORG)
     :: else -> skip
     fi
  od
}

/* ------------------------------------------------------------ the calls */
/* Every guard ends with WITHIN_CAPS: a state beyond the caps is not expanded. */

#define CREATE_GRANT(c, p) \
  :: d_step { CAN_CREATE_GRANT(c, p) && WITHIN_CAPS -> save(); create_grant(p); check(NACC) }
#define GRANT_CALLS(c, g) \
  :: d_step { CAN_ACCEPT(c, g) && WITHIN_CAPS -> save(); set_status(g, DISABLED, R_NONE); check(NACC) } \
  :: d_step { CAN_REJECT(c, g) && WITHIN_CAPS -> save(); set_status(g, REJECTED, R_NONE); check(NACC) } \
  :: d_step { CAN_SET_VERSION(c, g, ACTIVE) && WITHIN_CAPS -> save(); set_version(g, ACTIVE); check(NACC) } \
  :: d_step { CAN_SET_VERSION(c, g, DISABLED) && WITHIN_CAPS -> save(); set_version(g, DISABLED); check(NACC) } \
  :: d_step { CAN_DELETE(c, g) && WITHIN_CAPS -> save(); delete_grant(g); check(NACC) }
#define ACCOUNT_CALLS(c, x) \
  :: d_step { CAN_INVITE(c, x) && WITHIN_CAPS -> save(); invited = invited | (1 << x); check(NACC) } \
  :: d_step { CAN_REMOVE(c, x) && WITHIN_CAPS -> save(); remove_account(x); check(NACC) }
#define CALLER_CALLS(c) \
  :: d_step { CAN_ACCEPT_HANDSHAKE(c) && WITHIN_CAPS -> save(); invited = invited & ~(1 << c); member = member | (1 << c); \
              on_account_joined(c); check(NACC) } \
  :: d_step { CAN_LAUNCH(c) && WITHIN_CAPS -> save(); running[c]++; check(NACC) } \
  :: d_step { CAN_STOP(c) && WITHIN_CAPS -> save(); running[c]--; check(c) }

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
end:
  do
  CALLS_OF(0)
  CALLS_OF(1)
  CALLS_OF(2)
#if NACC > 3
  CALLS_OF(3)
#endif
  od
}
