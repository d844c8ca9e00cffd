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
-- Caps (entmc's bounds, applied as state constraints): at most G grants, every
-- version at most V, at most W running workloads in all. A call whose result
-- would break a cap is not taken (its successor is discarded).
--
-- compare-peers.sh rewrites the constants below for other sizes.

const
  NACC: 3;  -- accounts: 0 = management, 1..NMEM members, the rest outside
  NMEM: 1;
  G: 3;     -- at most G grants
  V: 3;     -- every grant version at most V
  W: 1;     -- at most W running workloads in all

type
  Acct: 0..NACC - 1;
  GIx: 0..G - 1;
  -- entmc's GrantStatus values the sub-model reaches.
  Status: enum { PENDING_ACCEPT, REJECTED, ACTIVE, DELETED, DISABLED, WORKFLOW_COMPLETED };
  -- entmc's status reasons the sub-model reaches: none, "Account left the
  -- organization" (2), "Not activated: ... already has an active license" (5).
  Reason: enum { R_NONE, R_LEFT_ORG, R_FAILED_ACTIVE };
  GrantRec: record
    grantee: 0..NACC;  -- NACC: the organization ID (an org parent)
    parent: 0..G;      -- G: none
    version: 0..V;     -- 0 only in unused slots
    status: Status;
    bulk: boolean;     -- kBulkActive (org parents only)
    reason: Reason;
  end;
  World: record
    ng: 0..G;
    grants: array [GIx] of GrantRec;
    member: array [Acct] of boolean;   -- membership != OUTSIDE (M: MANAGEMENT)
    invited: array [Acct] of boolean;  -- kInvited
    running: array [Acct] of 0..W;
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
function active_count(x: Acct; except: 0..G): 0..G + 1;
var n: 0..G + 1;
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
  if w.grants[g].parent != G & !w.member[w.grants[g].grantee] then return false; endif;
  return active_count(w.grants[g].grantee, g) = 0;
end;

function total_running(): 0..NACC * W;
var n: 0..NACC * W;
begin
  n := 0;
  for x: Acct do n := n + w.running[x]; endfor;
  return n;
end;

function entitled(x: Acct): boolean;
begin
  return active_count(x, G) > 0;
end;

-- entitlement.cpp find_org_child: the newest non-terminal child of `p` for
-- `x`, else the newest one, else G (none).
function find_org_child(p: GIx; x: Acct): 0..G;
var any: 0..G;
begin
  any := G;
  for k: 0..G - 1 do
    if G - 1 - k < w.ng then
      alias gr: w.grants[G - 1 - k] do
        if gr.parent = p & gr.grantee = x then
          if !is_terminal(gr.status) then return G - 1 - k; endif;
          if any = G then any := G - 1 - k; endif;
        endif;
      endalias;
    endif;
  endfor;
  return any;
end;

-- ---------------------------------------------------------------- mutations
-- `over` is set when a change would break a cap; the caller then discards
-- the successor, so a half-done change is never kept.

-- changes_log.h set_grant_status: one new version; a reason of R_NONE keeps
-- the old reason.
procedure set_status(var over: boolean; g: GIx; st: Status; r: Reason);
begin
  if w.grants[g].version = V then over := true; return; endif;
  w.grants[g].status := st;
  if r != R_NONE then w.grants[g].reason := r; endif;
  w.grants[g].version := w.grants[g].version + 1;
end;

procedure add_grant(var over: boolean; grantee: 0..NACC; parent: 0..G; st: Status);
begin
  if w.ng = G then over := true; return; endif;
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
procedure try_activate_child(var over: boolean; c: GIx);
begin
  if can_activate(c) then
    set_status(over, c, ACTIVE, R_NONE);
  elsif w.grants[c].reason != R_FAILED_ACTIVE then
    if w.grants[c].version = V then over := true; return; endif;
    w.grants[c].reason := R_FAILED_ACTIVE;
    w.grants[c].version := w.grants[c].version + 1;
  endif;
end;

-- org_grants.cpp bulk_set_status: children newest first (the license's grant
-- list), then the parent becomes WORKFLOW_COMPLETED.
procedure bulk_set_status(var over: boolean; p: GIx; st: Status);
begin
  for k: 0..G - 1 do
    if G - 1 - k < w.ng & !over then
      alias c: G - 1 - k do
        if w.grants[c].parent = p & !is_terminal(w.grants[c].status) & w.member[w.grants[c].grantee] then
          if st = ACTIVE then
            if w.grants[c].status != ACTIVE then try_activate_child(over, c); endif;
          elsif w.grants[c].status = ACTIVE then
            set_status(over, c, DISABLED, R_NONE);
          endif;
        endif;
      endalias;
    endif;
  endfor;
  w.grants[p].bulk := st = ACTIVE;
  set_status(over, p, WORKFLOW_COMPLETED, R_NONE);
end;

-- org_grants.cpp on_account_joined: organization grants in creation order.
procedure on_account_joined(var over: boolean; x: Acct);
var c: 0..G;
begin
  for p: GIx do
    if p < w.ng & !over then
      if w.grants[p].grantee = NACC & w.grants[p].status != DELETED then
        c := find_org_child(p, x);
        if c = G then
          add_grant(over, x, p, DISABLED);
          c := w.ng - 1;
        elsif is_terminal(w.grants[c].status) then
          add_grant(over, x, p, DISABLED);
          c := w.ng - 1;
        endif;
        if !over & w.grants[p].bulk then try_activate_child(over, c); endif;
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

procedure create_grant(var over: boolean; p: 0..NACC);
var parent: 0..G;
begin
  if p = NACC then
    add_grant(over, NACC, G, DISABLED);
    if over then return; endif;
    parent := w.ng - 1;
    for x: Acct do
      if x != 0 & w.member[x] & !over then add_grant(over, x, parent, DISABLED); endif;
    endfor;
  elsif w.member[p] then
    add_grant(over, p, G, DISABLED);  -- auto-accepted
  else
    add_grant(over, p, G, PENDING_ACCEPT);
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

procedure set_version(var over: boolean; g: GIx; st: Status);
begin
  if w.grants[g].grantee = NACC then
    bulk_set_status(over, g, st);
  else
    set_status(over, g, st, R_NONE);
  endif;
end;

-- grant_lifecycle.cpp delete_grant with the current Version: by the grantor,
-- not terminal, not an org child; an org parent takes its children with it.
function can_delete(c: Acct; g: GIx): boolean;
begin
  return c = 0 & g < w.ng & !is_terminal(w.grants[g].status) & w.grants[g].parent = G;
end;

procedure delete_grant(var over: boolean; g: GIx);
begin
  if w.grants[g].grantee = NACC then
    for k: 0..G - 1 do
      if G - 1 - k < w.ng & !over then
        if w.grants[G - 1 - k].parent = g & !is_terminal(w.grants[G - 1 - k].status) then
          set_status(over, G - 1 - k, DELETED, R_NONE);
        endif;
      endif;
    endfor;
    w.grants[g].bulk := false;
  endif;
  set_status(over, g, DELETED, R_NONE);
end;

-- organization.cpp remove_account -> org_grants.cpp on_account_left: ACTIVE
-- org children become DISABLED ("Account left the organization").
procedure remove_account(var over: boolean; x: Acct);
begin
  w.member[x] := false;
  for k: 0..G - 1 do
    if G - 1 - k < w.ng & !over then
      alias gr: w.grants[G - 1 - k] do
        if gr.grantee = x & gr.parent != G & gr.status = ACTIVE then
          set_status(over, G - 1 - k, DISABLED, R_LEFT_ORG);
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
    if active_count(x, G) > 1 then return false; endif;
  endfor;
  return true;
end;

function active_children_are_members(): boolean;
begin
  for i: GIx do
    if i < w.ng & w.grants[i].parent != G & w.grants[i].status = ACTIVE & !w.member[w.grants[i].grantee] then
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

-- Ends a call: a successor that broke the G or V cap (`over`) is discarded by
-- going back to the state before the call. (The W cap is checked in
-- LaunchWorkload's guard, the only call that starts a workload.)
procedure commit(before: World; over: boolean; stopper: 0..NACC);
begin
  if over then
    w := before;
  else
    check_step(before, stopper);
  endif;
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
-- Every call of the explored domains, failing ones as disabled rules.

ruleset c: Acct; p: 0..NACC do
  rule "CreateGrant" can_create_grant(c, p) ==>
  var before: World; over: boolean;
  begin
    before := w; over := false;
    create_grant(over, p);
    commit(before, over, NACC);
  endrule;
endruleset;

ruleset c: Acct; g: GIx do
  rule "AcceptGrant" can_accept(c, g) ==>
  var before: World; over: boolean;
  begin
    before := w; over := false;
    set_status(over, g, DISABLED, R_NONE);
    commit(before, over, NACC);
  endrule;

  rule "RejectGrant" can_reject(c, g) ==>
  var before: World; over: boolean;
  begin
    before := w; over := false;
    set_status(over, g, REJECTED, R_NONE);
    commit(before, over, NACC);
  endrule;

  rule "CreateGrantVersion ACTIVE" can_set_version(c, g, ACTIVE) ==>
  var before: World; over: boolean;
  begin
    before := w; over := false;
    set_version(over, g, ACTIVE);
    commit(before, over, NACC);
  endrule;

  rule "CreateGrantVersion DISABLED" can_set_version(c, g, DISABLED) ==>
  var before: World; over: boolean;
  begin
    before := w; over := false;
    set_version(over, g, DISABLED);
    commit(before, over, NACC);
  endrule;

  rule "DeleteGrant" can_delete(c, g) ==>
  var before: World; over: boolean;
  begin
    before := w; over := false;
    delete_grant(over, g);
    commit(before, over, NACC);
  endrule;
endruleset;

ruleset c: Acct; x: Acct do
  -- organization.cpp invite_account: by M, to an account outside, not yet invited.
  rule "InviteAccountToOrganization" c = 0 & !w.member[x] & !w.invited[x] ==>
  begin
    w.invited[x] := true;
  endrule;

  -- organization.cpp remove_account: by M, of a member other than M.
  rule "RemoveAccountFromOrganization" c = 0 & x != 0 & w.member[x] ==>
  var before: World; over: boolean;
  begin
    before := w; over := false;
    remove_account(over, x);
    commit(before, over, NACC);
  endrule;
endruleset;

ruleset c: Acct do
  -- organization.cpp accept_handshake.
  rule "AcceptHandshake" w.invited[c] & !w.member[c] ==>
  var before: World; over: boolean;
  begin
    before := w; over := false;
    w.invited[c] := false;
    w.member[c] := true;
    on_account_joined(over, c);
    commit(before, over, NACC);
  endrule;

  -- workloads.cpp launch_workload (home region; needs entitlement). The
  -- W cap is on the total, checked in the guard.
  rule "LaunchWorkload" entitled(c) & total_running() < W ==>
  begin
    w.running[c] := w.running[c] + 1;
  endrule;

  -- workloads.cpp stop_workload.
  rule "StopWorkload" w.running[c] > 0 ==>
  begin
    w.running[c] := w.running[c] - 1;
  endrule;
endruleset;

invariant "one active license per product and account"
  one_active_license();

invariant "an active organization child has a member recipient"
  active_children_are_members();
