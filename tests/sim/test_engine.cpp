#include <catch2/catch.hpp>

#include <simgrid/s4u.hpp>

#include "sim/run/engine.hpp"

using namespace shardsim;

TEST_CASE("a deadlock is reported with the blocked actors' names") {
  SimEngine engine({}, 2);
  // Two actors that each wait for a message the other never sends.
  for (const char* name : {"reader-a", "reader-b"}) {
    simgrid::s4u::Actor::create(name, engine.host(), [name] {
      simgrid::s4u::Mailbox::by_name(std::string("inbox-") + name)->get<int>();
    });
  }
  const EngineOutcome outcome = engine.run();
  REQUIRE(outcome.deadlocked.size() == 2);
  CHECK((outcome.deadlocked[0] == "reader-a" || outcome.deadlocked[1] == "reader-a"));
}

TEST_CASE("a second engine in one process is refused, not a crash") {
  SimEngine first({}, 0);
  CHECK_THROWS_AS(SimEngine({}, 0), std::logic_error);
}
