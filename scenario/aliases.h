// The aliases of what calls create, chosen once for every report: the
// scenario writer writes them (`as: lic1`), `entmc replay` reads them back,
// and `entmc check`/`fuzz`/`simulate` print their traces with the same ones,
// so a counterexample reads the same in the terminal, in the file and in its
// replay. A record the source scenario named keeps that name; any other gets
// lic<N> / grant<N> (N = its index + 1), made unique.
#pragma once

#include <string>

#include "model/apply.h"
#include "model/call.h"
#include "model/names.h"

namespace entmc {

// When `c` (applied with outcome `o`) created a license (Subscribe) or a grant
// (CreateGrant) at or after the given counts, gives it an alias in `n` unless
// it has one, and returns the alias; otherwise returns "".
std::string name_created(Names& n, const Call& c, const Outcome& o, size_t licenses_before, size_t grants_before);

}  // namespace entmc
