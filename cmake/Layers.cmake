# One library per source folder, each declaring the folders it builds on. A folder may include
# headers of its own folder and of the folders it depends on (directly or through another);
# the layering check (cmake/CheckLayers.cmake) fails the build on any other include, naming the
# file and the header.
#
#   shardsim_layer(models/stream [PARTS sub...] DEPENDS models/core models/kinesis [LIBRARIES target...])
#
# makes the library shardsim_models_stream (static, or an interface library for a folder of
# headers only) from the folder's .cpp files, linked to its dependencies' libraries. PARTS names
# subfolders built into the same library, which include and are included like the folder.

add_library(shardsim_common INTERFACE)
target_include_directories(shardsim_common INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_definitions(shardsim_common INTERFACE
  JSON_USE_IMPLICIT_CONVERSIONS=0
  SHARDSIM_VERSION="${PROJECT_VERSION}")
target_link_libraries(shardsim_common INTERFACE SimGrid::SimGrid nlohmann_json::nlohmann_json)

set(SHARDSIM_LAYERS_FILE ${PROJECT_BINARY_DIR}/layers.txt)
file(WRITE ${SHARDSIM_LAYERS_FILE} "")
set_property(GLOBAL PROPERTY SHARDSIM_LAYER_SOURCES "")

function(shardsim_layer folder)
  cmake_parse_arguments(PARSE_ARGV 1 L "" "" "PARTS;DEPENDS;LIBRARIES")
  string(REPLACE "/" "_" name "shardsim_${folder}")
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp)
  file(GLOB headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.hpp)
  set(folders ${folder})
  foreach(part IN LISTS L_PARTS)
    list(APPEND folders ${folder}/${part})
    file(GLOB part_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/${part}/*.cpp)
    file(GLOB part_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/${part}/*.hpp)
    list(APPEND sources ${part_sources})
    list(APPEND headers ${part_headers})
  endforeach()
  if(folder STREQUAL "sim/cli")
    list(REMOVE_ITEM sources ${PROJECT_SOURCE_DIR}/sim/cli/main.cpp)
  endif()
  # The folders it may include: itself and everything its dependencies may include.
  set(allowed ${folders})
  set(libraries shardsim_common)
  foreach(dep IN LISTS L_DEPENDS)
    get_property(dep_allowed GLOBAL PROPERTY SHARDSIM_ALLOWED_${dep})
    if(NOT dep_allowed)
      message(FATAL_ERROR "shardsim_layer(${folder}): ${dep} must be declared before it")
    endif()
    list(APPEND allowed ${dep_allowed})
    string(REPLACE "/" "_" dep_name "shardsim_${dep}")
    list(APPEND libraries ${dep_name})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY SHARDSIM_ALLOWED_${folder} ${allowed})
  string(REPLACE ";" "," allowed_text "${allowed}")
  foreach(f IN LISTS folders)
    file(APPEND ${SHARDSIM_LAYERS_FILE} "${f}:${allowed_text}\n")
  endforeach()
  set_property(GLOBAL APPEND PROPERTY SHARDSIM_LAYER_SOURCES ${sources} ${headers})
  if(sources)
    add_library(${name} STATIC ${sources})
    target_link_libraries(${name} PUBLIC ${libraries} ${L_LIBRARIES})
    add_dependencies(${name} shardsim_layers_checked)
  else()
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE ${libraries} ${L_LIBRARIES})
  endif()
endfunction()

# Runs the layering check whenever a source file changes; every layer library waits for it.
function(shardsim_layer_check)
  get_property(all_sources GLOBAL PROPERTY SHARDSIM_LAYER_SOURCES)
  add_custom_command(
    OUTPUT ${PROJECT_BINARY_DIR}/layers.checked
    COMMAND ${CMAKE_COMMAND} -DLAYERS_FILE=${SHARDSIM_LAYERS_FILE} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DSTAMP=${PROJECT_BINARY_DIR}/layers.checked -P ${PROJECT_SOURCE_DIR}/cmake/CheckLayers.cmake
    DEPENDS ${all_sources} ${SHARDSIM_LAYERS_FILE} ${PROJECT_SOURCE_DIR}/cmake/CheckLayers.cmake
    COMMENT "Checking that each folder includes only the folders it depends on")
  add_custom_target(shardsim_layers_checked_run DEPENDS ${PROJECT_BINARY_DIR}/layers.checked)
  add_dependencies(shardsim_layers_checked shardsim_layers_checked_run)
endfunction()
add_custom_target(shardsim_layers_checked)
