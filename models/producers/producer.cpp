#include "models/producers/producer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u.hpp>

#include "models/kinesis/kinesis_limits.hpp"

#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(producers, shardsim, "producers: refused puts, their retries and drops");

namespace shardsim {

Producer::Producer(const ProducerConfig& config, double end_s, KeyTable& keys, Rng records, Rng retries, Rng latency)
    : config_(config),
      order_by_(config.order_by),
      end_s_(end_s),
      arrivals_(config.arrival, config.rate_per_s, config.start_s),
      keys_(config.keys, keys),
      table_(keys),
      rng_(records),
      retry_rng_(retries),
      latency_rng_(latency) {
  if (config.record_bytes.is_constant()) constant_bytes_ = std::round(config.record_bytes.value);
  if (config.entity) entities_.emplace(*config.entity, keys);
  // Without sort keys an item is its partition key: automatic is the entity's order or the item's.
  if (order_by_ == OrderBy::automatic) order_by_ = entities_ ? OrderBy::entity : OrderBy::item;
  if (config.sort_keys) {
    sort_keys_.emplace(*config.sort_keys, *sort_table_);
    const std::uint64_t items = keys_.index_count() * sort_keys_->index_count();
    if (items > 0 && items <= kItemCacheLimit) item_cache_.assign(items, kNoItem);
  }
  if (!config.aggregation.partition_key.empty()) aggregate_key_ = keys.intern(config.aggregation.partition_key);
  if (!config.explicit_hash_key.empty()) explicit_hash_key_ = parse_decimal_hash_key(config.explicit_hash_key);
  aggregates_ = config.aggregation.records_per_kinesis_record > 1;
  // Without entities or sort keys, an item is its partition key: both orders are the key's.
  plain_ = config.arrival.type != ArrivalSpec::Type::trace && keys_.index_count() > 0 && !entities_ && !sort_keys_ &&
           constant_bytes_;
  if (plain_) plain_bytes_ = static_cast<std::uint32_t>(std::clamp(*constant_bytes_, 1.0, static_cast<double>(kinesis::kMaxRecordDataBytes)));
  draw_ahead();
  if (aggregates()) assemble();
}

void Producer::draw_ahead() {
  if (plain_) {
    while (!ended_ && !ahead_.full()) {
      const double t = arrivals_.next(rng_);
      if (!(t < end_s_)) {
        ended_ = true;
        break;
      }
      const std::uint64_t key = keys_.draw(rng_);
      keys_.prefetch(key);
      ahead_.push_back({t, key, 0, 0, 0});
    }
    return;
  }
  const bool trace = config_.arrival.type == ArrivalSpec::Type::trace;
  while (!ended_ && !ahead_.full()) {
    const double t = keys_.exhausted() ? kNoMore : arrivals_.next(rng_);
    if (!(t < end_s_)) {
      ended_ = true;
      break;
    }
    Drawn d{t, 0, 0, 0, 0};
    if (trace) {
      const TraceRow& row = config_.arrival.rows[trace_row_++];
      d.key = table_.intern(row.partition_key);
      d.entity = row.entity.empty() ? d.key : table_.intern(row.entity);
      d.data_bytes = row.bytes;
    } else {
      d.key = keys_.draw(rng_);
      keys_.prefetch(d.key);
      if (entities_) {
        d.entity = entities_->draw(rng_);
        entities_->prefetch(d.entity);
      }
      if (sort_keys_) {
        d.sort = sort_keys_->draw(rng_);
        if (!item_cache_.empty()) __builtin_prefetch(&item_cache_[d.key * sort_keys_->index_count() + d.sort]);
      }
      d.data_bytes = constant_bytes_ ? *constant_bytes_ : std::round(config_.record_bytes.sample(rng_));
    }
    ahead_.push_back(d);
  }
}

// A plain producer's next user record (see plain_), inline where records are taken.
[[gnu::always_inline]] inline Record Producer::take_plain_record() {
  const Drawn d = ahead_.front();
  ahead_.pop_front();
  // Its draws touch nothing another producer sees: it draws half the look-ahead at a time.
  if (ahead_.size() <= kAhead / 2) draw_ahead();
  const KeyGenerator::Key key = keys_.resolve(d.key);
  Record r;
  r.produced_s = r.arrival_s = d.time_s;
  r.key = r.order_key = key.id;
  r.bytes = plain_bytes_ + key.name_bytes;
  return r;
}

Record Producer::take() {
  if (!aggregates()) return plain_ ? take_plain_record() : take_user_record();
  const Record r = *assembled_;
  assemble();
  return r;
}

void Producer::assemble() {
  assembled_.reset();
  if (!std::isfinite(next_user_time())) return;
  // KPL aggregation: the next N user records in one Kinesis record, put when the last of them
  // arrives, under the aggregation's partition key (or the first user record's).
  const auto per_record = static_cast<std::size_t>(config_.aggregation.records_per_kinesis_record);
  Record aggregate = take_user_record();
  std::uint64_t bytes = aggregate.bytes;
  std::size_t packed = 1;
  while (packed < per_record && std::isfinite(next_user_time())) {
    const Record r = take_user_record();
    aggregate.arrival_s = r.arrival_s;
    bytes += r.bytes;
    ++packed;
  }
  if (aggregate_key_) aggregate.key = aggregate.order_key = *aggregate_key_;
  aggregate.user_records = static_cast<std::uint16_t>(packed);
  aggregate.bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes, kinesis::kMaxRecordDataBytes));
  assembled_ = aggregate;
}

Record Producer::take_user_record() {
  if (plain_) return take_plain_record();
  const Drawn d = ahead_.front();
  ahead_.pop_front();
  // One drawn for each taken, so that keys interned as drawn (unique, sequence, trace) get their
  // ids in the same order whatever the look-ahead.
  draw_ahead();
  Record r;
  r.produced_s = r.arrival_s = d.time_s;
  std::uint32_t name_bytes = 0;
  if (config_.arrival.type == ArrivalSpec::Type::trace) {
    r.key = static_cast<KeyId>(d.key);
    r.order_key = static_cast<KeyId>(d.entity);
    name_bytes = static_cast<std::uint32_t>(table_.name_length(r.key));
  } else {
    const KeyGenerator::Key key = keys_.resolve(d.key);
    r.key = key.id;
    name_bytes = key.name_bytes;
    if (sort_keys_) {
      const KeyGenerator::Key sort_key = sort_keys_->resolve(d.sort);
      r.key = item_of(d, key.id, sort_key);
      name_bytes += sort_key.name_bytes;
    }
    r.order_key = order_by_ == OrderBy::item ? r.key : order_by_ == OrderBy::entity ? entities_->resolve(d.entity).id : key.id;
  }
  const double clamped = std::clamp(d.data_bytes, 1.0, static_cast<double>(kinesis::kMaxRecordDataBytes));
  r.bytes = static_cast<std::uint32_t>(clamped) + name_bytes;
  return r;
}

KeyId Producer::new_item(KeyId partition_key, KeyId sort_key) {
  if (sort_key >= sort_numbers_.size()) sort_numbers_.resize(sort_key + 1, KeyTable::kNoSort);
  std::uint32_t& number = sort_numbers_[sort_key];
  if (number == KeyTable::kNoSort) number = table_.sort_key(sort_table_->name(sort_key));
  return table_.add_item(partition_key, number);
}

KeyId Producer::item_of(const Drawn& d, KeyId partition_key, const KeyGenerator::Key& sort_key) {
  if (!item_cache_.empty()) {
    KeyId& item = item_cache_[d.key * sort_keys_->index_count() + d.sort];
    if (item == kNoItem) item = new_item(partition_key, sort_key.id);
    return item;
  }
  const auto [it, added] = items_.try_emplace((std::uint64_t{partition_key} << 32) | sort_key.id, 0);
  if (added) it->second = new_item(partition_key, sort_key.id);
  return it->second;
}

std::optional<double> Producer::retry_delay(std::uint32_t attempt) {
  if (attempt >= static_cast<std::uint32_t>(config_.max_put_attempts)) return std::nullopt;
  const double ceiling = std::min(config_.put_retry_max_delay_s, config_.put_retry_delay_s * std::ldexp(1.0, static_cast<int>(attempt) - 1));
  return retry_rng_.uniform(0, ceiling);
}

// Inline in generate_until: every record goes through it; the rest is out of line.
[[gnu::always_inline]] inline void ProducerFleet::put(std::size_t producer, const Record& record, bool turn) {
  if (record.arrival_s < last_put_s_) out_of_time_order(record);
  last_put_s_ = record.arrival_s;
  if (any_ordered_ && producers_[producer].ordered()) {
    put_in_order(producer, record, turn);
    return;
  }
  if (!destination_.put(record, producers_[producer].explicit_hash_key())) refused(producer, record);
}

void ProducerFleet::out_of_time_order(const Record& record) {
  control_.invariant_broken("a put at " + std::to_string(record.arrival_s) + " s came after one at " +
                            std::to_string(last_put_s_) + " s: puts must go out in time order");
}

void ProducerFleet::refused(std::size_t producer, const Record& record) {
  if (auto delay = producers_[producer].retry_delay(record.put_attempts)) {
    Record again = record;
    again.arrival_s += *delay;
    ++again.put_attempts;
    XBT_VERB("put of key #%u refused at %.6f s (attempt %u): retried at %.6f s", static_cast<unsigned>(record.key),
             record.arrival_s, static_cast<unsigned>(record.put_attempts), again.arrival_s);
    retries_.push({again.arrival_s, producer, again});
  } else {
    XBT_VERB("put of key #%u refused at %.6f s after %u attempts: dropped", static_cast<unsigned>(record.key),
             record.arrival_s, static_cast<unsigned>(record.put_attempts));
    destination_.record_dropped(record);
  }
}

void ProducerFleet::put_in_order(std::size_t producer, Record record, bool turn) {
  KeyLine& line = lines_[key_of(producer, record.key)];
  const double t = record.arrival_s;
  if (!turn) {
    if (line.scheduled) {  // behind the key's retry or next put: it waits its turn
      line.waiting.push_back(record);
      return;
    }
    if (t < line.free_at) {  // the key's last put is in flight: this one goes when it is answered
      record.arrival_s = line.free_at;
      retries_.push({line.free_at, producer, record});
      line.scheduled = true;
      return;
    }
  }
  line.scheduled = false;
  const double done = t + producers_[producer].put_latency();  // the answer comes back
  line.free_at = done;
  if (destination_.put(record, producers_[producer].explicit_hash_key())) return next_turn(producer, line, done);
  if (auto delay = producers_[producer].retry_delay(record.put_attempts)) {
    Record again = record;
    again.arrival_s = done + *delay;  // the backoff starts when the rejection comes back
    ++again.put_attempts;
    XBT_VERB("ordered put of key #%u refused at %.6f s (attempt %u): the key waits until %.6f s",
             static_cast<unsigned>(record.key), t, static_cast<unsigned>(record.put_attempts), again.arrival_s);
    retries_.push({again.arrival_s, producer, again});
    line.scheduled = true;
  } else {
    XBT_VERB("ordered put of key #%u refused at %.6f s after %u attempts: dropped", static_cast<unsigned>(record.key), t,
             static_cast<unsigned>(record.put_attempts));
    destination_.record_dropped(record);
    next_turn(producer, line, done);
  }
}

void ProducerFleet::next_turn(std::size_t producer, KeyLine& line, double done_s) {
  if (line.waiting.empty()) return;
  Record next = line.waiting.front();
  line.waiting.pop_front();
  next.arrival_s = done_s;  // put as soon as the previous one is settled
  retries_.push({done_s, producer, next});
  line.scheduled = true;
}

template <bool kAlone>
void ProducerFleet::take_ahead() {
  while (!pending_.full()) {
    std::size_t earliest = 0;
    if (kAlone) {
      if (!std::isfinite(producers_[0].next_time())) return;
    } else {
      if (next_.empty()) return;
      earliest = next_.top().second;
      next_.pop();
    }
    Pending& taken = pending_.push_back({earliest, producers_[earliest].take()});
    if (!kAlone && std::isfinite(producers_[earliest].next_time())) next_.push({producers_[earliest].next_time(), earliest});
    if (!producers_[earliest].explicit_hash_key()) destination_.prefetch(taken.record.key);
    if (pending_.size() > kAhead / 2) {
      const Pending& halfway = pending_[pending_.size() - 1 - kAhead / 2];
      if (!producers_[halfway.producer].explicit_hash_key()) destination_.prefetch_put(halfway.record.key);
    }
  }
}

void ProducerFleet::generate_until(double until) {
  if (producers_.size() == 1)
    generate_until<true>(until);
  else
    generate_until<false>(until);
  destination_.set_horizon(until);
}

template <bool kAlone>
void ProducerFleet::generate_until(double until) {
  while (true) {
    take_ahead<kAlone>();
    const bool record_due = !pending_.empty() && pending_.front().record.arrival_s < until;
    const double first_time = record_due ? pending_.front().record.arrival_s : until;
    // A retry at the same instant as a new record goes first: it was produced earlier.
    if (!retries_.empty() && retries_.top().at_s < until && retries_.top().at_s <= first_time) {
      Retry r = retries_.top();
      retries_.pop();
      put(r.producer, r.record, true);
      continue;
    }
    if (!record_due) break;
    const Pending& next = pending_.front();  // put() leaves pending_ alone
    put(next.producer, next.record);
    pending_.pop_front();
  }
}

void ProducerFleet::operator()() {
  namespace this_actor = simgrid::s4u::this_actor;
  // Stay one chunk ahead of the clock: whenever any reader runs at time t, every record with
  // time < t + kChunkS exists, whatever order SimGrid runs actors that wake at the same instant.
  double horizon = 0;
  while (true) {
    const double now = simgrid::s4u::Engine::get_clock();
    if (control_.on_progress) control_.on_progress(now);
    // New records stop at the producers' end time; retries of rejected puts may go on after it.
    horizon = now + 2 * kChunkS;
    generate_until(horizon);
    if (static_cast<std::int64_t>(destination_.unread_records()) > max_backlog_) {
      control_.abort_reason = "more than " + std::to_string(max_backlog_) +
                              " unread records in the stream (limits.max_backlog_records): consumers fall "
                              "behind without bound";
      break;
    }
    const bool more = !retries_.empty() || !pending_.empty() || std::any_of(producers_.begin(), producers_.end(), [](const Producer& p) {
                        return std::isfinite(p.next_time());
                      });
    if (!more || control_.aborted()) break;
    this_actor::sleep_until(now + kChunkS);
    ++control_.wakeups;
  }
  destination_.set_production_complete();
  // An interrupt ends the run here: an actor asleep until a far event would not see it before.
  if (control_.interrupted()) simgrid::s4u::Actor::kill_all();
}

}  // namespace shardsim
