# FindSimGrid: Debian's libsimgrid-dev ships simgrid.pc but no CMake package.
# Provides the imported target SimGrid::SimGrid and SimGrid_VERSION.
# Looks through pkg-config first, then falls back to find_path/find_library.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_SIMGRID QUIET simgrid)
endif()

find_path(SimGrid_INCLUDE_DIR
  NAMES simgrid/s4u.hpp
  HINTS ${PC_SIMGRID_INCLUDE_DIRS})
find_library(SimGrid_LIBRARY
  NAMES simgrid
  HINTS ${PC_SIMGRID_LIBRARY_DIRS})

if(PC_SIMGRID_VERSION)
  set(SimGrid_VERSION ${PC_SIMGRID_VERSION})
elseif(SimGrid_INCLUDE_DIR AND EXISTS "${SimGrid_INCLUDE_DIR}/simgrid/version.h")
  file(STRINGS "${SimGrid_INCLUDE_DIR}/simgrid/version.h" _sg_ver REGEX "#define SIMGRID_VERSION_(MAJOR|MINOR) ")
  string(REGEX REPLACE ".*MAJOR ([0-9]+).*" "\\1" _sg_major "${_sg_ver}")
  string(REGEX REPLACE ".*MINOR ([0-9]+).*" "\\1" _sg_minor "${_sg_ver}")
  set(SimGrid_VERSION "${_sg_major}.${_sg_minor}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SimGrid
  REQUIRED_VARS SimGrid_LIBRARY SimGrid_INCLUDE_DIR
  VERSION_VAR SimGrid_VERSION)

if(SimGrid_FOUND AND NOT TARGET SimGrid::SimGrid)
  add_library(SimGrid::SimGrid UNKNOWN IMPORTED)
  set_target_properties(SimGrid::SimGrid PROPERTIES
    IMPORTED_LOCATION "${SimGrid_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SimGrid_INCLUDE_DIR}")
endif()
mark_as_advanced(SimGrid_INCLUDE_DIR SimGrid_LIBRARY)
