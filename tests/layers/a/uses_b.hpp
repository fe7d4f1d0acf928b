#pragma once
// Fixture of the layering check (tests/CMakeLists.txt): folder a includes folder b.
#include "b/base.hpp"
