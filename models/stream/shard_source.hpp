#pragma once
// Sources over one shard of a stream, for one consumer. A record becomes visible to the consumer
// propagation_delay_s after it arrived in the shard; a call returns at most `per_call` records
// and bytes (Kinesis GetRecords: 10,000 records, 10 MB; DynamoDB Streams: 1,000, 1 MB).
//   GetRecordsSource        polling: calls draw on the shard's read budget shared by every
//                           polling consumer (5 calls/s, 2 MiB/s for Kinesis); once per
//                           poll_interval_s while caught up, back to back while behind.
//   SubscribeToShardSource  push (enhanced fan-out): the consumer's own byte budget of the shard
//                           (2 MiB/s for Kinesis); each record is pushed when it becomes visible.
// Sources: Kinesis developer guide, "Quotas and limits", "Develop enhanced fan-out consumers".
#include <cstdint>
#include <optional>

#include "models/core/events.hpp"
#include "models/core/record_filter.hpp"
#include "models/core/record_source.hpp"
#include "models/core/token_bucket.hpp"
#include "models/stream/stream.hpp"

namespace shardsim {

struct ReadLimits {
  std::int64_t max_records_per_call = 10'000;
  std::uint64_t max_bytes_per_call = 10ull * 1024 * 1024;
};

class ShardSource : public RecordSource {
public:
  ShardSource(Stream& stream, std::size_t shard, std::size_t consumer, ReadLimits per_call, double propagation_delay_s,
              EventSink& sink);
  bool expire(double now) override;
  bool skip_before(double first_arrival_s, double now) override;
  bool fetch(double now, Dispatcher& into) override;
  bool exhausted(double now) const override;
  bool ended(double now) const override;
  double visible_at(std::uint64_t position) const override { return visible_time(position); }
  double visible_when_full(const BatchLimits& limits, const BatchPreview& batch, double until) const override;
  double arrival_at(std::uint64_t position) const override;
  std::uint64_t position() const override { return fetched_; }
  std::uint64_t unread() const override;
  void for_each_unread(const std::function<void(const Record&)>& f) const override;
  void rewind(std::uint64_t position) override { fetched_ = position; }
  void release_before(std::uint64_t unfinished, std::uint64_t kept) override;
  // From now on, records `filter` does not keep are read but discarded before batching (the
  // sink is told); the filter outlives the source.
  void filter_with(const RecordFilter* filter) { filter_ = filter; }

protected:
  // Whether its calls count against the shard's read limits shared by its polling consumers.
  virtual bool shares_read_limits() const { return true; }
  // Reads of `bytes` at `now` are charged to the budget they draw on.
  virtual void charge(double now, std::uint64_t bytes) = 0;
  double visible_time(std::uint64_t position) const;
  // When the next record becomes visible (or, with none written yet, the producers' horizon).
  double next_visible() const;
  Stream& stream_;
  std::size_t shard_;

private:
  std::size_t consumer_;
  ReadLimits per_call_;
  double delay_s_;
  EventSink& sink_;
  std::uint64_t fetched_;  // log positions before this were returned (or skipped)
  const RecordFilter* filter_ = nullptr;
};

// A reader's own share of a shard's calls, shared equally among its readers:
//   readers    a DynamoDB stream's readers per shard, on top of the shard's limits;
//   call_rate  a Kinesis shard's 5 calls/s when more consumers poll it than that: the share
//              replaces the first-come bucket, where perfectly periodic pollers lock onto
//              phases and the first of them always win (in AWS, pollers' timing varies and
//              the calls spread).
struct CallShare {
  double calls_per_s = 0;  // 0: none
  ReadLimit limit = ReadLimit::readers;
  std::int64_t readers = 0;  // readers: the shard's reader slots shared this way
};

class GetRecordsSource : public ShardSource {
public:
  GetRecordsSource(Stream& stream, std::size_t shard, std::size_t consumer, ReadLimits per_call,
                   double propagation_delay_s, double poll_interval_s, EventSink& sink, CallShare share = {})
      : ShardSource(stream, shard, consumer, per_call, propagation_delay_s, sink),
        poll_interval_s_(poll_interval_s),
        share_limit_(share.limit) {
    if (share.calls_per_s > 0) own_calls_.emplace(share.calls_per_s, std::max(1.0, share.calls_per_s));
  }
  Call admit(double now) override;
  double next_call(double now, double last_call_s, bool behind) override;
  Hold hold() const override { return hold_; }

private:
  void charge(double now, std::uint64_t bytes) override;
  Hold hold_;
  double poll_interval_s_;  // 0: every record as soon as it is visible (an idealisation)
  std::optional<TokenBucket> own_calls_;
  ReadLimit share_limit_;
};

class SubscribeToShardSource : public ShardSource {
public:
  SubscribeToShardSource(Stream& stream, std::size_t shard, std::size_t consumer, ReadLimits per_call,
                         double propagation_delay_s, double bytes_per_s, EventSink& sink)
      : ShardSource(stream, shard, consumer, per_call, propagation_delay_s, sink), own_(bytes_per_s, bytes_per_s) {}
  Call admit(double) override { return Call::admitted; }
  double next_call(double now, double last_call_s, bool behind) override;
  bool pushes() const override { return true; }
  Hold hold() const override { return hold_; }

protected:
  // The byte budget its reads draw on at `now`: by default the consumer's own of the shard.
  virtual TokenBucket& budget(double) { return own_; }

private:
  bool shares_read_limits() const override { return false; }
  void charge(double now, std::uint64_t bytes) override { budget(now).charge(now, static_cast<double>(bytes)); }
  Hold hold_;
  TokenBucket own_;  // this consumer's own read rate of the shard
};

}  // namespace shardsim
