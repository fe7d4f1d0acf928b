#pragma once
// Numbers for people: whole numbers with thousands separators (10,000; 604,800), others with up
// to ten significant digits, infinities as inf.
#include <string>

namespace shardsim {

std::string format_number(double x);

}  // namespace shardsim
