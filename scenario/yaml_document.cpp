#include "scenario/yaml_document.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <vector>

namespace entmc::yaml {
namespace {

// Records where each document starts and nothing else: the first pass only
// counts documents (and meets every syntax error); YAML::Load builds the node.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& m) override { starts.push_back(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

DocumentProblem at(const YAML::Mark& m, std::string message) {
  // yaml-cpp marks are 0-based, and -1 where it has no position: point at the start.
  return DocumentProblem{m.line < 0 ? 1 : m.line + 1, m.column < 0 ? 1 : m.column + 1, std::move(message)};
}

}  // namespace

OneDocument load_one_document(const std::string& text) {
  OneDocument out;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts h;
    while (h.starts.size() < 2 && parser.HandleNextDocument(h)) {
    }
    if (h.starts.empty()) {
      out.problem = DocumentProblem{1, 1, "the file holds no YAML document (it is empty)"};
      return out;
    }
    if (h.starts.size() > 1) {
      out.problem = at(h.starts[1], "a second YAML document starts here: a file holds exactly one document "
                                    "(remove the '---' and what follows, or put it in a file of its own)");
      return out;
    }
    out.root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    out.problem = at(e.mark, "YAML syntax: " + e.msg);
  }
  return out;
}

}  // namespace entmc::yaml
