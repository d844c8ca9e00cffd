// Requests the records the coming events will read, a few events before they
// read them. At a million accounts almost every record an event reads is a
// cache miss, and on this kind of machine one costs 170-240 ns when it is
// waited for (a 512 MB random walk, huge pages or not) but about 10 ns when
// many are in flight at once. An event's records form chains (an index entry
// names a grant, the grant names its license and accounts, the license names
// the product, which names the (account, product) lists...), so each event is
// looked at several times, one link further each time: the records a look
// reads were requested by the look before it, an event or half an event
// earlier, and have arrived.
//
// A hint only: nothing reads what these functions request unless the event
// does; the event stream and every result are the same without them
// (EventGenerator::ahead reads a copy of the event's random stream).
#pragma once

#include "model/world.h"
#include "sim/generator.h"

namespace entmc::sim {

// The looks, farthest first. The simulator makes one of each per step, each
// one event nearer than the one before: `entries` four events ahead,
// `records` three, `links` two, `deeper` one.
enum class Look : uint8_t {
  kEntries,  // the generator's index entry; the caller's account and (account, product) slots
  kRecords,  // the grant or license the entry names; the first grant and license of the caller's lists
  kLinks,    // what that grant or license names (its license, its accounts); one hop down the lists
  kDeeper,   // the grantee's slots for the license's product and its first license; a second hop
};

void look_ahead(const World&, const EventGenerator&, uint64_t k, Look);

}  // namespace entmc::sim
