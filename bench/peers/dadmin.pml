/*
 * The second entmc peer model, in Promela for SPIN (docs/peers.md): the
 * delegated administrator's lifecycle with distributions to the organization
 * ID and accounts joining and leaving. Its entmc twin is
 * scenarios/models/peer-dadmin.yaml; without symmetry reduction both reach the
 * same number of distinct states (scripts/compare-peers.sh --model dadmin).
 * model/*.cpp is the truth; each inline below names the C++ rule it mirrors.
 *
 * The world: an all-features organization with every prerequisite done
 * (trusted access, linking, both service-linked roles in every account);
 * accounts 0 = the management account M, 1 = member A, 2 = member B,
 * 3 = account O outside; one AMI product; license 0 is M's subscription,
 * license 1 is A's (both stay AVAILABLE: no license calls). Calls (every
 * caller, every target, the organization ID as the only principal, Status
 * ACTIVE or DISABLED, the current Version, no names, reasons, tokens or
 * overrides): RegisterDelegatedAdministrator, DeregisterDelegatedAdministrator,
 * CreateGrant (to the organization ID), CreateGrantVersion, DeleteGrant,
 * InviteAccountToOrganization, AcceptHandshake, RemoveAccountFromOrganization,
 * LeaveOrganization.
 *
 * As in submodel.pml: one process, one option per call, each a d_step whose
 * first statement is the guard (exactly when entmc's rule succeeds), so a
 * failing call is a disabled option and a successful one is one transition.
 * The caps max_grants G and max_grant_version V are state constraints (a
 * state beyond one is stored, checked, not expanded): every guard includes
 * WITHIN_CAPS. From a state within the caps one call creates at most
 * max(NACC, G) grants (an organization grant: the parent and a child per
 * member but the caller; a join: a child per organization grant), so
 * GMAX = G + max(NACC, G) slots hold every state entmc stores.
 *
 * Sizes: -DG=.. -DV=.. (4 <= G <= 6).
 */

#define NACC 4 /* accounts: 0 = M (management), 1 = A, 2 = B (members), 3 = O (outside) */
#ifndef G
#define G 4 /* max_grants */
#endif
#ifndef V
#define V 2 /* max_grant_version */
#endif
#define GMAX (G + G) /* G >= NACC */

#define ORG NACC     /* the grantee of a parent: the organization ID */
#define NONE 15      /* no parent; no delegated administrator */

/* entmc's GrantStatus values the model reaches */
#define ACTIVE 2
#define DELETED 3
#define DISABLED 4
#define WORKFLOW_COMPLETED 5
/* status reasons: none (kept by a status change), "Account left the
   organization", activation failed (one active license), activation failed
   (license unavailable or distribution disabled), "Delegated administrator
   deregistered" */
#define R_NONE 0
#define R_LEFT_ORG 1
#define R_FAILED_ACTIVE 2
#define R_FAILED_UNAVAILABLE 3
#define R_ADMIN_DEREG 4

typedef GrantRec {
  bit lic;      /* 0: M's license (grantor M), 1: A's (grantor A) */
  byte grantee; /* an account, or ORG for a parent */
  byte parent;  /* NONE for a parent */
  byte version; /* 0 only in unused slots */
  byte status;
  bit bulk;     /* kBulkActive (parents only) */
  byte reason
};

/* The state: grants in creation order; membership (M's bit always set: the
   management account is in the organization) and open invitations as bit
   sets over accounts; the delegated administrator. */
GrantRec gr[GMAX];
byte ng;
byte member = 7; /* M, A, B */
byte invited;
byte admin = NONE;

/* Scratch and the before-image of the current call: not part of the state. */
hidden GrantRec bk[GMAX];
hidden byte bk_ng, bk_admin;
hidden byte i, k, op, fc, anyc, par, acc, blk, lc;

#define MEMBER(x) ((member >> (x)) & 1)
#define INVITED(x) ((invited >> (x)) & 1)
#define TERMINAL(s) ((s) == DELETED) /* REJECTED is not reached: no RejectGrant */
#define GRANTOR(n) (gr[n].lic)       /* license 0 is M's (account 0), 1 is A's (account 1) */
#define IS_ADMIN(x) ((x) == 0 || (x) == admin) /* entitlement.cpp is_org_administrator */
#define OWN_SUB(x) ((x) <= 1)        /* M and A own an AVAILABLE subscription */

/* ACT(x, g, n): grant n (not g) is an ACTIVE grant received by x. Unused
   slots have status 0, never ACTIVE. */
#define ACT(x, g, n) ((n) != (g) && gr[n].grantee == (x) && gr[n].status == ACTIVE)
#define ACT8(x, g) (ACT(x, g, 0) || ACT(x, g, 1) || ACT(x, g, 2) || ACT(x, g, 3) || \
                    ACT(x, g, 4) || ACT(x, g, 5) || ACT(x, g, 6) || ACT(x, g, 7))
#if GMAX == 8
#define OTHER_ACTIVE(x, g) ACT8(x, g)
#elif GMAX == 10
#define OTHER_ACTIVE(x, g) (ACT8(x, g) || ACT(x, g, 8) || ACT(x, g, 9))
#elif GMAX == 12
#define OTHER_ACTIVE(x, g) (ACT8(x, g) || ACT(x, g, 8) || ACT(x, g, 9) || ACT(x, g, 10) || ACT(x, g, 11))
#endif

/* activation.cpp activation_blocker(g, NONE) for a child: the license is
   AVAILABLE and every account has the Marketplace role; a member recipient,
   a grantor still an administrator; then no other active license for the
   recipient (its own subscription counts, and an override is never given). */
#define CHILD_OK(g) (MEMBER(gr[g].grantee) && IS_ADMIN(GRANTOR(g)))
#define CAN_ACTIVATE(g) (CHILD_OK(g) && !OWN_SUB(gr[g].grantee) && !OTHER_ACTIVE(gr[g].grantee, g))

/* engine/bounds.cpp beyond_caps, negated; part of every guard */
#define VER_OK(n) (gr[n].version <= V)
#define VERS8 (VER_OK(0) && VER_OK(1) && VER_OK(2) && VER_OK(3) && VER_OK(4) && VER_OK(5) && VER_OK(6) && VER_OK(7))
#if GMAX == 8
#define VERSIONS_OK VERS8
#elif GMAX == 10
#define VERSIONS_OK (VERS8 && VER_OK(8) && VER_OK(9))
#elif GMAX == 12
#define VERSIONS_OK (VERS8 && VER_OK(8) && VER_OK(9) && VER_OK(10) && VER_OK(11))
#endif
#define WITHIN_CAPS (ng <= G && VERSIONS_OK)

/* ------------------------------------------------------------ guards */

/* organization.cpp register_delegated_admin: by M; the target a MEMBER (not
   the management account); none registered yet. */
#define CAN_REGISTER(c, x) ((c) == 0 && (x) != 0 && MEMBER(x) && admin == NONE)
/* deregister_delegated_admin: by M, the registered one */
#define CAN_DEREGISTER(c, x) ((c) == 0 && admin == (x))
/* grant_lifecycle.cpp create_grant -> org_grants.cpp create_org_grant: the
   license's owner, an administrator. */
#define CAN_CREATE_ORG_GRANT(c, l) ((c) == (l) && IS_ADMIN(c))
/* create_grant_version with a Status: not terminal; the grantor or the
   recipient; a grantor of a distribution must still be an administrator; a
   parent is bulk-set (always allowed: its license is AVAILABLE); a child is
   deactivated, or activated past activation_blocker. */
#define IS_GRANTOR(c, g) ((c) == GRANTOR(g))
#define IS_RECIPIENT(c, g) (gr[g].grantee == (c))
#define CAN_SET_VERSION(c, g, st) \
  ((g) < ng && !TERMINAL(gr[g].status) && (IS_GRANTOR(c, g) || IS_RECIPIENT(c, g)) && \
   (!IS_GRANTOR(c, g) || IS_ADMIN(c)) && (gr[g].grantee == ORG || (st) == DISABLED || CAN_ACTIVATE(g)))
/* delete_grant with the current Version: the grantor, still an administrator,
   not terminal, not a child */
#define CAN_DELETE(c, g) \
  ((g) < ng && IS_GRANTOR(c, g) && IS_ADMIN(c) && !TERMINAL(gr[g].status) && gr[g].parent == NONE)
/* organization.cpp */
#define CAN_INVITE(c, x) ((c) == 0 && !MEMBER(x) && !INVITED(x))
#define CAN_ACCEPT_HANDSHAKE(c) (INVITED(c) && !MEMBER(c))
/* remove_account: not M, a member, not the administrator */
#define CAN_REMOVE(c, x) ((c) == 0 && (x) != 0 && MEMBER(x) && (x) != admin)
#define CAN_LEAVE(c) ((c) != 0 && MEMBER(c) && (c) != admin)

/* ------------------------------------------------------------ mutations */

inline save() {
  i = 0;
  do
  :: i == GMAX -> break
  :: else ->
     bk[i].lic = gr[i].lic; bk[i].grantee = gr[i].grantee; bk[i].parent = gr[i].parent;
     bk[i].version = gr[i].version; bk[i].status = gr[i].status; bk[i].bulk = gr[i].bulk;
     bk[i].reason = gr[i].reason;
     i++
  od;
  bk_ng = ng; bk_admin = admin
}

/* Properties. State: one active license per product and account (own
   subscriptions included); an ACTIVE child has a member recipient and a
   grantor that is an administrator; the administrator is a member. Transition
   (against the before-image): a terminal grant never changes. */
inline check() {
  i = 0;
  do
  :: i == GMAX -> break
  :: else ->
     assert(!(gr[i].status == ACTIVE && (OWN_SUB(gr[i].grantee) || OTHER_ACTIVE(gr[i].grantee, i))));
     assert(!(gr[i].status == ACTIVE && gr[i].parent != NONE && !CHILD_OK(i)));
     assert(!(i < bk_ng && TERMINAL(bk[i].status)) ||
            (gr[i].status == bk[i].status && gr[i].version == bk[i].version));
     i++
  od;
  assert(admin == NONE || (admin != 0 && MEMBER(admin)));
  i = 0 /* a d_step must not end in a loop */
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

inline add_grant(l, to, from_parent) {
  assert(ng < GMAX); /* GMAX holds every grant a call can create */
  gr[ng].lic = l; gr[ng].grantee = to; gr[ng].parent = from_parent; gr[ng].version = 1;
  gr[ng].status = DISABLED; gr[ng].bulk = 0; gr[ng].reason = R_NONE;
  ng++
}

/* org_grants.cpp try_activate_child: activate, or say why not in the status
   reason (a new version only when the reason changes). */
inline try_activate_child(ch) {
  if
  :: CAN_ACTIVATE(ch) -> set_status(ch, ACTIVE, R_NONE)
  :: else ->
     if
     :: CHILD_OK(ch) -> blk = R_FAILED_ACTIVE
     :: else -> blk = R_FAILED_UNAVAILABLE
     fi;
     if
     :: gr[ch].reason != blk -> gr[ch].reason = blk; gr[ch].version++
     :: else -> skip
     fi
  fi
}

/* org_grants.cpp bulk_set_status: the parent's live children of members,
   then the parent becomes WORKFLOW_COMPLETED. */
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

/* entitlement.cpp find_org_child: newest live child of p for x, else the
   newest, else NONE; into fc. */
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

/* org_grants.cpp on_account_joined: the organization grants in creation
   order, but deleted ones and the joiner's own. */
inline on_account_joined(x) {
  op = 0;
  do
  :: op == GMAX -> break
  :: else ->
     if
     :: op < ng && gr[op].grantee == ORG && gr[op].status != DELETED && GRANTOR(op) != x ->
        find_org_child(op, x);
        if
        :: fc == NONE || TERMINAL(gr[fc].status) -> lc = gr[op].lic; add_grant(lc, x, op); fc = ng - 1
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

/* org_grants.cpp create_org_grant: the parent (DISABLED), then one
   auto-accepted child per member but the caller, in account order (the
   management account is a member: it receives a child of A's grant). */
inline create_org_grant(c) {
  add_grant(c, ORG, NONE);
  par = ng - 1; acc = 0;
  do
  :: acc == NACC -> break
  :: else ->
     if
     :: MEMBER(acc) && acc != c -> add_grant(c, acc, par)
     :: else -> skip
     fi;
     acc++
  od
}

inline set_version(g, st) {
  if
  :: gr[g].grantee == ORG -> bulk_set_status(g, st)
  :: else -> set_status(g, st, R_NONE)
  fi
}

/* grant_lifecycle.cpp delete_grant: a parent takes its live children along */
inline delete_grant(g) {
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
  gr[g].bulk = 0;
  set_status(g, DELETED, R_NONE)
}

/* organization.cpp remove_account -> org_grants.cpp on_account_left: the
   leaver's ACTIVE children become DISABLED (it keeps its roles). */
inline leave(x) {
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

/* organization.cpp deregister_delegated_admin -> org_grants.cpp
   on_admin_deregistered: the former administrator's live parents become
   DISABLED (bulk off) and their ACTIVE children DISABLED. */
inline deregister(x) {
  admin = NONE;
  op = 0;
  do
  :: op == GMAX -> break
  :: else ->
     if
     :: op < ng && gr[op].grantee == ORG && GRANTOR(op) == x && !TERMINAL(gr[op].status) ->
        k = GMAX;
        do
        :: k == 0 -> break
        :: else ->
           k--;
           if
           :: k < ng && gr[k].parent == op && gr[k].status == ACTIVE -> set_status(k, DISABLED, R_ADMIN_DEREG)
           :: else -> skip
           fi
        od;
        gr[op].bulk = 0;
        set_status(op, DISABLED, R_ADMIN_DEREG)
     :: else -> skip
     fi;
     op++
  od
}

/* ------------------------------------------------------------ the calls */

#define ACCOUNT_CALLS(c, x) \
  :: d_step { CAN_REGISTER(c, x) && WITHIN_CAPS -> save(); admin = x; check() } \
  :: d_step { CAN_DEREGISTER(c, x) && WITHIN_CAPS -> save(); deregister(x); check() } \
  :: d_step { CAN_INVITE(c, x) && WITHIN_CAPS -> save(); invited = invited | (1 << x); check() } \
  :: d_step { CAN_REMOVE(c, x) && WITHIN_CAPS -> save(); leave(x); check() }
#define GRANT_CALLS(c, g) \
  :: d_step { CAN_SET_VERSION(c, g, ACTIVE) && WITHIN_CAPS -> save(); set_version(g, ACTIVE); check() } \
  :: d_step { CAN_SET_VERSION(c, g, DISABLED) && WITHIN_CAPS -> save(); set_version(g, DISABLED); check() } \
  :: d_step { CAN_DELETE(c, g) && WITHIN_CAPS -> save(); delete_grant(g); check() }
#define LICENSE_CALLS(c, l) \
  :: d_step { CAN_CREATE_ORG_GRANT(c, l) && WITHIN_CAPS -> save(); create_org_grant(l); check() }
#define CALLER_CALLS(c) \
  :: d_step { CAN_ACCEPT_HANDSHAKE(c) && WITHIN_CAPS -> save(); invited = invited & ~(1 << c); \
              member = member | (1 << c); on_account_joined(c); check() } \
  :: d_step { CAN_LEAVE(c) && WITHIN_CAPS -> save(); leave(c); check() }

#define EACH_ACCOUNT(M, a) M(a, 0) M(a, 1) M(a, 2) M(a, 3)
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
#define EACH_GRANT(M, a) M(a, 0) M(a, 1) M(a, 2) M(a, 3) G4(M, a) G5(M, a)
#define CALLS_OF(c) \
  EACH_ACCOUNT(ACCOUNT_CALLS, c) LICENSE_CALLS(c, 0) LICENSE_CALLS(c, 1) EACH_GRANT(GRANT_CALLS, c) CALLER_CALLS(c)

active proctype entmc() {
end:
  do
  CALLS_OF(0)
  CALLS_OF(1)
  CALLS_OF(2)
  CALLS_OF(3)
  od
}
