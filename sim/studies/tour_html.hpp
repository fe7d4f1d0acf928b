#pragma once
// `shardsim tour --html FILE`: the tour as one self-contained web page (for a projector or a
// course page): per question its scenario's timeline as SVG (the first records), its expectations
// with their values, a few key figures and the answer. No external fonts, styles or scripts; a
// small inline script marks on <body> how many timelines the browser laid out
// (data-rendered-timelines), which the page's browser test reads.
#include <string>
#include <vector>

#include "sim/studies/questions.hpp"

namespace shardsim {

// Runs each stop's scenario with `self` (its own process, `jobs` at a time) and returns the page.
// `steps`: the stops' numbers in the whole tour (1-based), parallel to `stops`.
std::string tour_html(const std::vector<CatalogQuestion>& stops, const std::vector<std::size_t>& steps,
                      std::size_t tour_size, const std::string& self, std::size_t jobs);

}  // namespace shardsim
