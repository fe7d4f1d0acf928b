#pragma once
// What the read limits held back (models/core/record_source.hpp, ReadLimit): their names in results,
// a line for the text report, and the warning when one bound a consumer.
#include <cstdint>
#include <string>

#include "analysis/consumer_counts.hpp"
#include "models/core/record_source.hpp"

namespace shardsim {

constexpr ReadLimit kReadLimits[] = {ReadLimit::call_rate, ReadLimit::byte_rate, ReadLimit::readers};
const char* read_limit_name(ReadLimit limit);  // call_rate, byte_rate, readers
// The calls the readers would have made while `limit` held them back, at their poll intervals (one
// per held call when they were behind): those a first-come limit would have refused.
std::uint64_t calls_wanted(const ConsumerCounts& counts, ReadLimit limit);
// "waited 312.5 s on the byte rate (1,234 calls)…", or empty when no limit held a call back.
std::string read_waits_text(const ConsumerCounts& counts);
// A read limit bound the consumer when its readers waited on it for at least this share of the
// time they were reading.
constexpr double kBindingShare = 0.1;
// The warning for `consumer` whose readers read for `reading_s` seconds in all, or empty.
std::string read_limit_warning(const std::string& consumer, const ConsumerCounts& counts, double reading_s);

}  // namespace shardsim
