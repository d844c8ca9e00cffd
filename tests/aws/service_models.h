// Test support: the trimmed AWS service models (models/*.json) and the checks
// the tests make against them: a CLI command names a real operation with real
// parameters and valid enum values; a JSON output has only real members.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/script_reader.h"

namespace entmc::test {

// botocore's xform_name with '-': CreateGrantVersion -> create-grant-version,
// AWSServiceName -> aws-service-name.
std::string cli_name(const std::string& api_name);

class ServiceModels {
 public:
  ServiceModels();  // loads models/*.json from the source tree
  const nlohmann::json& service(const std::string& cli_service) const;
  // Problems with one command ("" when it is valid).
  std::vector<std::string> check_command(const aws::ScriptCommand&) const;
  // Members of `value` that the shape does not have, as JSON paths.
  std::vector<std::string> check_output(const std::string& cli_service, const std::string& operation,
                                        const nlohmann::json& value) const;
  std::vector<std::string> check_shape(const std::string& cli_service, const std::string& shape,
                                       const nlohmann::json& value, const std::string& path) const;

 private:
  nlohmann::json models_;
};

}  // namespace entmc::test
