#pragma once
// Fixture of the layering check (tests/CMakeLists.txt): folder b includes nothing.
