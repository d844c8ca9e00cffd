// Reading an exported script back (script_reader.h). Only the shapes the
// exporter writes need to be understood: one command per line, optionally
// `VAR=$(aws ...)` and `|| echo ...`.
#include "aws/script_reader.h"

#include <sstream>

namespace entmc::aws {

const std::vector<std::string>* ScriptCommand::param(const std::string& name) const {
  for (const auto& [k, v] : params)
    if (k == name) return &v;
  return nullptr;
}

std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\'') {
      in_word = true;
      size_t end = line.find('\'', i + 1);
      if (end == std::string::npos) end = line.size();
      cur += line.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '"') {
      in_word = true;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        cur += line[i];
      }
    } else if (c == '\\' && i + 1 < line.size()) {
      in_word = true;
      cur += line[++i];
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      in_word = true;
      cur += c;
    }
  }
  if (in_word) words.push_back(cur);
  return words;
}

namespace {

// The `aws ...` part of a line, the variable it assigns, whether `||` follows.
bool split_command(const std::string& line, std::string& cmd, std::string& var, bool& may_fail) {
  size_t at = line.find("aws --profile ");
  if (at == std::string::npos) return false;
  var.clear();
  if (at > 0) {
    size_t eq = line.find("=$(");
    if (eq == std::string::npos || eq + 3 != at) return false;
    var = line.substr(0, eq);
  }
  std::string rest = line.substr(at);
  may_fail = false;
  if (size_t bar = rest.find(" || echo "); bar != std::string::npos) {
    rest = rest.substr(0, bar);
    may_fail = true;
  }
  if (!var.empty() && !rest.empty() && rest.back() == ')') rest.pop_back();
  cmd = rest;
  return true;
}

ScriptCommand parse_command(const std::string& cmd) {
  ScriptCommand out;
  std::vector<std::string> w = shell_words(cmd);
  size_t i = 1;  // after "aws"
  auto take_global = [&]() {
    while (i + 1 < w.size() && (w[i] == "--profile" || w[i] == "--region")) {
      (w[i] == "--profile" ? out.profile : out.region) = w[i + 1];
      i += 2;
    }
  };
  take_global();
  if (i < w.size()) out.service = w[i++];
  if (i < w.size()) out.operation = w[i++];
  while (i < w.size()) {
    if (w[i].rfind("--", 0) != 0) {
      ++i;  // a stray word: kept out (the validation test then misses nothing it reads)
      continue;
    }
    std::string name = w[i++].substr(2);
    std::vector<std::string> values;
    while (i < w.size() && w[i].rfind("--", 0) != 0) values.push_back(w[i++]);
    if (name == "query") out.query = values.empty() ? "" : values[0];
    else if (name == "output") out.output = values.empty() ? "" : values[0];
    else out.params.emplace_back(name, values);
  }
  return out;
}

}  // namespace

std::vector<ScriptStep> read_script(const std::string& text) {
  std::vector<ScriptStep> steps;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# step ", 0) == 0) {
      ScriptStep s;
      size_t colon = line.find(':');
      s.step = std::stoul(line.substr(7, colon - 7));
      s.summary = colon == std::string::npos ? "" : line.substr(colon + 2);
      steps.push_back(s);
      continue;
    }
    if (steps.empty()) continue;
    if (line.rfind("# console:", 0) == 0) {
      steps.back().console = true;
      continue;
    }
    std::string cmd, var;
    bool may_fail = false;
    if (!split_command(line, cmd, var, may_fail)) continue;
    ScriptCommand c = parse_command(cmd);
    c.step = steps.back().step;
    c.assigns = var;
    c.may_fail = may_fail;
    // ARN look-ups (list-received-grants) are not calls of the scenario.
    if (c.operation.rfind("list-", 0) == 0) continue;
    steps.back().commands.push_back(std::move(c));
  }
  return steps;
}

std::vector<ScriptCommand> script_commands(const std::string& text) {
  std::vector<ScriptCommand> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::string cmd, var;
    bool may_fail = false;
    if (line.rfind("#", 0) == 0 || !split_command(line, cmd, var, may_fail)) continue;
    ScriptCommand c = parse_command(cmd);
    c.assigns = var;
    c.may_fail = may_fail;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace entmc::aws
