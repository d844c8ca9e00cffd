-- The entmc peer sub-model, in Murphi for Rumur (docs/peers.md).
--
-- The same bounded world as scenarios/models/peer-submodel.yaml, and the same
-- semantics as entmc's model/*.cpp (which is the truth; each procedure below
-- names the C++ rule it mirrors). The state holds exactly what varies in
-- entmc's World for this sub-model, so that the number of distinct reachable
-- states is entmc's with --no-symmetry:
--   * grants in creation order: grantee (ORG = a grant to the organization
--     ID, i.e. an org parent), parent, version, status, bulk flag, status reason;
--   * per account: member of the organization, invitation open;
--   * running workloads per (account, product) (one product here).
-- Everything else in entmc's World is constant here or a function of this
-- (grantor is always the management account, the license is always L0, the
-- linked-list indices follow the creation order).
--
-- World: account 0 is the management account M, which owns the one license
-- (an AMI subscription, AVAILABLE) and has every role; accounts 1..NMEM are
-- members; the rest are outside the organization. The organization has all
-- features, trusted access for License Manager and Marketplace, and 'Link AWS
-- Organizations accounts' on (so grants from M to members are auto-accepted).
--
-- Caps: entmc's bounds max_grants G, max_grant_version V, max_running W, which
-- engine/bounds.h applies as state constraints in TLC's way: a state beyond a
-- cap (more than G grants, a version above V, more than W workloads running
-- in one account) is stored and checked but not expanded. Here every rule's
-- guard starts with within_caps(). From a state within the caps one call
-- creates at most max(NACC, G) grants (an organization grant and its children,
-- or a joiner's children), raises a version by at most one and starts one
-- workload, so the types below hold every state entmc stores.
--
-- compare-peers.sh rewrites the constants below for other sizes.

const
  NACC: 3;  -- accounts: 0 = management, 1..NMEM members, the rest outside
  NMEM: 1;
  G: 3;     -- max_grants
  V: 2;     -- max_grant_version
  W: 1;     -- max_running (per account and product)
  GMAX: 6;  -- grant slots: G + max(NACC, G)

type
  Acct: 0..NACC - 1;
  GIx: 0..GMAX - 1;
  Ver: 0..V + 1;   -- 0 only in unused slots
  Run: 0..W + 1;
  -- entmc's GrantStatus values the sub-model reaches.
  Status: enum { PENDING_ACCEPT, REJECTED, ACTIVE, DELETED, DISABLED, WORKFLOW_COMPLETED };
  -- entmc's status reasons the sub-model reaches: none, "Account left the
  -- organization" (2), "Not activated: ... already has an active license" (5).
  Reason: enum { R_NONE, R_LEFT_ORG, R_FAILED_ACTIVE };
  GrantRec: record
    grantee: 0..NACC;  -- NACC: the organization ID (an org parent)
    parent: 0..GMAX;   -- GMAX: none
    version: Ver;
    status: Status;
    bulk: boolean;     -- kBulkActive (org parents only)
    reason: Reason;
  end;
  World: record
    ng: 0..GMAX;
    grants: array [GIx] of GrantRec;
    member: array [Acct] of boolean;   -- membership != OUTSIDE (M: MANAGEMENT)
    invited: array [Acct] of boolean;  -- kInvited
    running: array [Acct] of Run;
  end;

var
  w: World;

-- ---------------------------------------------------------------- queries

function is_terminal(s: Status): boolean;
begin
  return s = REJECTED | s = DELETED;
end;

-- entitlement.cpp active_license_count(x, product, except): M's own AVAILABLE
-- subscription plus the account's ACTIVE received grants on AVAILABLE licenses.
function active_count(x: Acct; except: 0..GMAX): 0..GMAX + 1;
var n: 0..GMAX + 1;
begin
  n := 0;
  if x = 0 then n := 1; endif;
  for i: GIx do
    if i < w.ng & i != except & w.grants[i].grantee = x & w.grants[i].status = ACTIVE then
      n := n + 1;
    endif;
  endfor;
  return n;
end;

-- activation.cpp activation_blocker(g, NONE): the license is always
-- AVAILABLE and M is always an organization administrator here; only M owns a
-- subscription and M never receives a grant.
function can_activate(g: GIx): boolean;
begin
  if w.grants[g].parent != GMAX & !w.member[w.grants[g].grantee] then return false; endif;
  return active_count(w.grants[g].grantee, g) = 0;
end;

-- engine/bounds.cpp beyond_caps.
function within_caps(): boolean;
begin
  if w.ng > G then return false; endif;
  for i: GIx do
    if w.grants[i].version > V then return false; endif;
  endfor;
  for x: Acct do
    if w.running[x] > W then return false; endif;
  endfor;
  return true;
end;

function entitled(x: Acct): boolean;
begin
  return active_count(x, GMAX) > 0;
end;

-- entitlement.cpp find_org_child: the newest non-terminal child of `p` for
-- `x`, else the newest one, else GMAX (none).
function find_org_child(p: GIx; x: Acct): 0..GMAX;
var any: 0..GMAX;
begin
  any := GMAX;
  for k: 0..GMAX - 1 do
    if GMAX - 1 - k < w.ng then
      alias gr: w.grants[GMAX - 1 - k] do
        if gr.parent = p & gr.grantee = x then
          if !is_terminal(gr.status) then return GMAX - 1 - k; endif;
          if any = GMAX then any := GMAX - 1 - k; endif;
        endif;
      endalias;
    endif;
  endfor;
  return any;
end;

-- ---------------------------------------------------------------- mutations

-- changes_log.h set_grant_status: one new version; a reason of R_NONE keeps
-- the old reason.
procedure set_status(g: GIx; st: Status; r: Reason);
begin
  w.grants[g].status := st;
  if r != R_NONE then w.grants[g].reason := r; endif;
  w.grants[g].version := w.grants[g].version + 1;
end;

procedure add_grant(grantee: 0..NACC; parent: 0..GMAX; st: Status);
begin
  assert w.ng < GMAX "GMAX holds every grant a call can create";
  alias gr: w.grants[w.ng] do
    gr.grantee := grantee;
    gr.parent := parent;
    gr.version := 1;
    gr.status := st;
    gr.bulk := false;
    gr.reason := R_NONE;
  endalias;
  w.ng := w.ng + 1;
end;

-- org_grants.cpp try_activate_child.
procedure try_activate_child(c: GIx);
begin
  if can_activate(c) then
    set_status(c, ACTIVE, R_NONE);
  elsif w.grants[c].reason != R_FAILED_ACTIVE then
    w.grants[c].reason := R_FAILED_ACTIVE;
    w.grants[c].version := w.grants[c].version + 1;
  endif;
end;

-- org_grants.cpp bulk_set_status: children newest first (the license's grant
-- list), then the parent becomes WORKFLOW_COMPLETED.
procedure bulk_set_status(p: GIx; st: Status);
begin
  for k: 0..GMAX - 1 do
    if GMAX - 1 - k < w.ng then
      alias c: GMAX - 1 - k do
        if w.grants[c].parent = p & !is_terminal(w.grants[c].status) & w.member[w.grants[c].grantee] then
          if st = ACTIVE then
            if w.grants[c].status != ACTIVE then try_activate_child(c); endif;
          elsif w.grants[c].status = ACTIVE then
            set_status(c, DISABLED, R_NONE);
          endif;
        endif;
      endalias;
    endif;
  endfor;
  w.grants[p].bulk := st = ACTIVE;
  set_status(p, WORKFLOW_COMPLETED, R_NONE);
end;

-- org_grants.cpp on_account_joined: organization grants in creation order.
procedure on_account_joined(x: Acct);
var c: 0..GMAX;
begin
  for p: GIx do
    if p < w.ng then
      if w.grants[p].grantee = NACC & w.grants[p].status != DELETED then
        c := find_org_child(p, x);
        if c = GMAX then
          add_grant(x, p, DISABLED);
          c := w.ng - 1;
        elsif is_terminal(w.grants[c].status) then
          add_grant(x, p, DISABLED);
          c := w.ng - 1;
        endif;
        if w.grants[p].bulk then try_activate_child(c); endif;
      endif;
    endif;
  endfor;
end;

-- ---------------------------------------------------------------- operations
-- Each guard is exactly when entmc's rule succeeds in this world; each body
-- is the rule's effect.

-- grant_lifecycle.cpp create_grant (+ org_grants.cpp create_org_grant). Only
-- M owns a license; a member has the Marketplace role through trusted access
-- but is not the owner; an outsider has no Marketplace role.
function can_create_grant(c: Acct; p: 0..NACC): boolean;
begin
  return c = 0 & p != 0;
end;

procedure create_grant(p: 0..NACC);
var parent: 0..GMAX;
begin
  if p = NACC then
    add_grant(NACC, GMAX, DISABLED);
    parent := w.ng - 1;
    for x: Acct do
      if x != 0 & w.member[x] then add_grant(x, parent, DISABLED); endif;
    endfor;
  elsif w.member[p] then
    add_grant(p, GMAX, DISABLED);  -- auto-accepted
  else
    add_grant(p, GMAX, PENDING_ACCEPT);
  endif;
end;

-- grant_lifecycle.cpp accept_grant (recipient_check: an org parent has no
-- recipient; the caller is the grantee; not terminal; then PENDING_ACCEPT).
function can_accept(c: Acct; g: GIx): boolean;
begin
  return g < w.ng & w.grants[g].grantee = c & w.grants[g].status = PENDING_ACCEPT;
end;

-- grant_lifecycle.cpp reject_grant: any non-terminal status but ACTIVE.
function can_reject(c: Acct; g: GIx): boolean;
begin
  return g < w.ng & w.grants[g].grantee = c & !is_terminal(w.grants[g].status) & w.grants[g].status != ACTIVE;
end;

-- grant_lifecycle.cpp create_grant_version with a Status and no Version, name
-- or reason: the grantor (M, always an administrator) or the recipient; an org
-- parent is bulk-set; a grant still PENDING_ACCEPT cannot change status; ACTIVE
-- goes through the one-active-license rule.
function can_set_version(c: Acct; g: GIx; st: Status): boolean;
begin
  if !(g < w.ng) then return false; endif;
  alias gr: w.grants[g] do
    if is_terminal(gr.status) then return false; endif;
    if !(c = 0 | gr.grantee = c) then return false; endif;
    if gr.grantee = NACC then return true; endif;
    if gr.status = PENDING_ACCEPT then return false; endif;
    if st = ACTIVE then return can_activate(g); endif;
    return true;
  endalias;
end;

procedure set_version(g: GIx; st: Status);
begin
  if w.grants[g].grantee = NACC then
    bulk_set_status(g, st);
  else
    set_status(g, st, R_NONE);
  endif;
end;

-- grant_lifecycle.cpp delete_grant with the current Version: by the grantor,
-- not terminal, not an org child; an org parent takes its children with it.
function can_delete(c: Acct; g: GIx): boolean;
begin
  return c = 0 & g < w.ng & !is_terminal(w.grants[g].status) & w.grants[g].parent = GMAX;
end;

procedure delete_grant(g: GIx);
begin
  if w.grants[g].grantee = NACC then
    for k: 0..GMAX - 1 do
      if GMAX - 1 - k < w.ng then
        if w.grants[GMAX - 1 - k].parent = g & !is_terminal(w.grants[GMAX - 1 - k].status) then
          set_status(GMAX - 1 - k, DELETED, R_NONE);
        endif;
      endif;
    endfor;
    w.grants[g].bulk := false;
  endif;
  set_status(g, DELETED, R_NONE);
end;

-- organization.cpp remove_account -> org_grants.cpp on_account_left: ACTIVE
-- org children become DISABLED ("Account left the organization").
procedure remove_account(x: Acct);
begin
  w.member[x] := false;
  for k: 0..GMAX - 1 do
    if GMAX - 1 - k < w.ng then
      alias gr: w.grants[GMAX - 1 - k] do
        if gr.grantee = x & gr.parent != GMAX & gr.status = ACTIVE then
          set_status(GMAX - 1 - k, DISABLED, R_LEFT_ORG);
        endif;
      endalias;
    endif;
  endfor;
end;

-- ---------------------------------------------------------------- properties

-- One active license per product and account (M: its own subscription and no
-- received grant), and an ACTIVE org child always has a member recipient.
function one_active_license(): boolean;
begin
  for x: Acct do
    if active_count(x, GMAX) > 1 then return false; endif;
  endfor;
  return true;
end;

function active_children_are_members(): boolean;
begin
  for i: GIx do
    if i < w.ng & w.grants[i].parent != GMAX & w.grants[i].status = ACTIVE & !w.member[w.grants[i].grantee] then
      return false;
    endif;
  endfor;
  return true;
end;

-- Transition properties, checked on every committed step against the state
-- before it: a terminal grant never changes again; no call but the account's
-- own StopWorkload lowers its running workloads.
procedure check_step(before: World; stopper: 0..NACC);
begin
  for i: GIx do
    if i < before.ng & is_terminal(before.grants[i].status) then
      assert w.grants[i].status = before.grants[i].status & w.grants[i].version = before.grants[i].version
        "terminal grant states are final";
    endif;
  endfor;
  for x: Acct do
    if x != stopper then
      assert w.running[x] >= before.running[x] "workloads survive license actions";
    endif;
  endfor;
end;

-- ---------------------------------------------------------------- start state

startstate "peer sub-model"
  w.ng := 0;
  for i: GIx do
    w.grants[i].grantee := 0;
    w.grants[i].parent := 0;
    w.grants[i].version := 0;
    w.grants[i].status := PENDING_ACCEPT;
    w.grants[i].bulk := false;
    w.grants[i].reason := R_NONE;
  endfor;
  for x: Acct do
    w.member[x] := x <= NMEM;
    w.invited[x] := false;
    w.running[x] := 0;
  endfor;
endstartstate;

-- ---------------------------------------------------------------- rules
-- Every call of the explored domains, failing ones as disabled rules; no rule
-- fires in a state beyond the caps. A state within the caps has at most G
-- grants, so grant parameters range over 0..G-1.

ruleset c: Acct; p: 0..NACC do
  rule "CreateGrant" can_create_grant(c, p) & within_caps() ==>
  var before: World;
  begin
    before := w;
    create_grant(p);
    check_step(before, NACC);
  endrule;
endruleset;

ruleset c: Acct; g: 0..G - 1 do
  rule "AcceptGrant" can_accept(c, g) & within_caps() ==>
  var before: World;
  begin
    before := w;
    set_status(g, DISABLED, R_NONE);
    check_step(before, NACC);
  endrule;

  rule "RejectGrant" can_reject(c, g) & within_caps() ==>
  var before: World;
  begin
    before := w;
    set_status(g, REJECTED, R_NONE);
    check_step(before, NACC);
  endrule;

  rule "CreateGrantVersion ACTIVE" can_set_version(c, g, ACTIVE) & within_caps() ==>
  var before: World;
  begin
    before := w;
    set_version(g, ACTIVE);
    check_step(before, NACC);
  endrule;

  rule "CreateGrantVersion DISABLED" can_set_version(c, g, DISABLED) & within_caps() ==>
  var before: World;
  begin
    before := w;
    set_version(g, DISABLED);
    check_step(before, NACC);
  endrule;

  rule "DeleteGrant" can_delete(c, g) & within_caps() ==>
  var before: World;
  begin
    before := w;
    delete_grant(g);
    check_step(before, NACC);
  endrule;
endruleset;

ruleset c: Acct; x: Acct do
  -- organization.cpp invite_account: by M, to an account outside, not yet invited.
  rule "InviteAccountToOrganization" c = 0 & !w.member[x] & !w.invited[x] & within_caps() ==>
  begin
    w.invited[x] := true;
  endrule;

  -- organization.cpp remove_account: by M, of a member other than M.
  rule "RemoveAccountFromOrganization" c = 0 & x != 0 & w.member[x] & within_caps() ==>
  var before: World;
  begin
    before := w;
    remove_account(x);
    check_step(before, NACC);
  endrule;
endruleset;

ruleset c: Acct do
  -- organization.cpp accept_handshake.
  rule "AcceptHandshake" w.invited[c] & !w.member[c] & within_caps() ==>
  var before: World;
  begin
    before := w;
    w.invited[c] := false;
    w.member[c] := true;
    on_account_joined(c);
    check_step(before, NACC);
  endrule;

  -- workloads.cpp launch_workload (home region; needs entitlement).
  rule "LaunchWorkload" entitled(c) & within_caps() ==>
  begin
    w.running[c] := w.running[c] + 1;
  endrule;

  -- workloads.cpp stop_workload.
  rule "StopWorkload" w.running[c] > 0 & within_caps() ==>
  begin
    w.running[c] := w.running[c] - 1;
  endrule;
endruleset;

invariant "one active license per product and account"
  one_active_license();

invariant "an active organization child has a member recipient"
  active_children_are_members();
