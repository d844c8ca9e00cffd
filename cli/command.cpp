#include "cli/command.h"

#include <algorithm>
#include <vector>

namespace entmc::cli {
namespace {

struct Entry {
  int order;
  std::function<void(CLI::App&)> add;
};

std::vector<Entry>& registry() {
  static std::vector<Entry> entries;
  return entries;
}

int g_exit_code = 0;

}  // namespace

Registration::Registration(int order, std::function<void(CLI::App&)> add) {
  registry().push_back({order, std::move(add)});
}

void set_exit_code(int code) { g_exit_code = std::max(g_exit_code, code); }
int exit_code() { return g_exit_code; }

namespace {
Rules g_rules = Rules::standard();
}  // namespace

const Rules& command_rules() { return g_rules; }
void set_command_rules(const Rules& rules) { g_rules = rules; }

void add_all_commands(CLI::App& app) {
  auto& entries = registry();
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.order < b.order; });
  for (auto& e : entries) e.add(app);
}

}  // namespace entmc::cli
