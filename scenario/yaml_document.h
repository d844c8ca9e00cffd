// Loading a YAML text that must hold exactly one document: every parser of
// entmc (scenarios with their bounds: section, fuzz configs, simulation
// configs) reads its file through this, so that a second document after `---`
// (which yaml-cpp's Load would silently drop), or no document at all, is an
// error at a position instead of a file that half-counts.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace entmc::yaml {

// What is wrong, at a 1-based line and column.
struct DocumentProblem {
  int line = 1;
  int column = 1;
  std::string message;
};

struct OneDocument {
  YAML::Node root;                         // the document's root, when there is no problem
  std::optional<DocumentProblem> problem;  // a syntax error, no document, or a second document
};

// A syntax error anywhere in the text (a second document's included) is a
// problem at its position; an empty text (or one with comments only) is a
// problem at 1:1; a second document is a problem where it starts.
OneDocument load_one_document(const std::string& text);

}  // namespace entmc::yaml
