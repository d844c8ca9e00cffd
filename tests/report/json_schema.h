// A JSON Schema validator for the subset docs/report-schema.json uses:
// type, const, enum, required, properties, additionalProperties, items,
// minimum, minLength, pattern and local $ref (#/$defs/NAME). Any other
// keyword is reported as an error, so the schema cannot silently use
// something this validator ignores.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace entmc::test {

// The places where `doc` breaks `schema` ("/failures/0/step: expected integer"), empty when it conforms.
std::vector<std::string> validate(const nlohmann::json& schema, const nlohmann::json& doc);

}  // namespace entmc::test
