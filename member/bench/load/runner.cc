#include "runner.h"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <sys/resource.h>

#include <thread>
#include <vector>

#include "key_chooser.h"
#include "value_source.h"

namespace shoal::bench {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// This process's CPU time so far (every thread, user + system).
std::int64_t process_cpu_ns() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ns = [](const timeval& t) { return std::int64_t{t.tv_sec} * 1'000'000'000 + std::int64_t{t.tv_usec} * 1000; };
    return ns(usage.ru_utime) + ns(usage.ru_stime);
}

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

enum class Mode { kClosed, kOpen, kPreload };

// What the threads share: start and stop times, and the first failure.
struct Shared {
    std::atomic<int> ready{0};
    std::atomic<std::int64_t> go_ns{0};  // 0 until every connection is ready
    std::atomic<bool> abort{false};
    std::mutex mutex;
    std::string failure;
    void fail(const std::string& why) {
        std::lock_guard lock(mutex);
        if (failure.empty()) failure = why;
        abort = true;
    }
};

class Worker final : public Connection::Handler {
public:
    Worker(Driver& driver, const Options& o, Mode mode, Shared& shared, int first, int count, const KeyChooser& keys,
           const ValueSource& values, std::uint64_t seed)
        : o_(o), mode_(mode), shared_(shared), keys_(keys), values_(values), random_(seed), end_timer_(io_), go_timer_(io_) {
        cap_ = mode == Mode::kPreload ? o.preload_pipeline : o.pipeline;
        for (int i = 0; i < count; ++i) {
            const int index = first + i;
            auto state = std::make_unique<State>(io_);
            state->slots.resize(static_cast<std::size_t>(cap_));
            for (int s = cap_ - 1; s >= 0; --s) state->free.push_back(static_cast<std::uint32_t>(s));
            if (mode == Mode::kPreload) {
                state->next_key = o.keys * static_cast<std::uint64_t>(index) / static_cast<std::uint64_t>(o.connections);
                state->end_key = o.keys * static_cast<std::uint64_t>(index + 1) / static_cast<std::uint64_t>(o.connections);
            }
            if (mode == Mode::kOpen) {
                state->interval_ns = 1e9 * o.connections / o.rate;
                state->offset = static_cast<double>(index) / o.connections;
            }
            states_.push_back(std::move(state));
            connections_.push_back(driver.connect(io_, *this, i));
        }
    }
    ~Worker() {
        connections_.clear();  // sockets before the io_context
    }

    void run() {
        for (auto& c : connections_) c->start();
        wait_for_go();
        io_.run();
    }

    RunResult& result() { return result_; }
    std::uint64_t answers() const { return answers_; }

    void on_ready(Connection&) override { shared_.ready.fetch_add(1); }

    void on_answer(Connection& c, std::uint32_t tag, Outcome outcome) override {
        State& s = *states_[static_cast<std::size_t>(c.index())];
        const Slot slot = s.slots[tag];
        s.free.push_back(tag);
        --s.in_flight;
        const std::int64_t now = now_ns();
        ++answers_;
        if (outcome == Outcome::kError) ++errors_seen_;
        if (mode_ == Mode::kPreload || (now >= measure_from_ && now <= measure_to_)) {
            const std::int64_t latency = now - slot.start_ns;
            result_.all.record_signed(latency);
            if (slot.is_set) {
                ++result_.sets;
                result_.set.record_signed(latency);
            } else {
                ++result_.gets;
                result_.get.record_signed(latency);
                if (outcome == Outcome::kMiss) ++result_.misses;
            }
            if (outcome == Outcome::kError) ++result_.errors;
        }
        if (stopped_) return;
        if (mode_ == Mode::kOpen) send_due(c, s, now);
        else issue_closed(c, s);
        if (mode_ == Mode::kPreload && s.in_flight == 0 && s.next_key >= s.end_key && ++done_ == states_.size()) io_.stop();
    }

    void on_failed(Connection&, const std::string& why) override {
        shared_.fail(why);
        io_.stop();
    }

private:
    struct Slot {
        std::int64_t start_ns = 0;
        bool is_set = false;
    };
    struct State {
        explicit State(asio::io_context& io) : timer(io) {}
        std::vector<Slot> slots;
        std::vector<std::uint32_t> free;
        int in_flight = 0;
        std::uint64_t next_key = 0;  // preload
        std::uint64_t end_key = 0;
        double interval_ns = 0;      // open loop
        double offset = 0;
        std::uint64_t next_k = 0;
        asio::steady_timer timer;
    };

    void wait_for_go() {
        go_timer_.expires_after(std::chrono::milliseconds(1));
        go_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;
            if (shared_.abort) return io_.stop();
            const std::int64_t go = shared_.go_ns.load();
            if (go == 0) return wait_for_go();
            begin(go);
        });
    }

    void begin(std::int64_t go) {
        go_ns_ = go;
        measure_from_ = go + static_cast<std::int64_t>(o_.warmup_seconds * 1e9);
        measure_to_ = measure_from_ + static_cast<std::int64_t>(o_.seconds * 1e9);
        if (mode_ != Mode::kPreload) {
            end_timer_.expires_at(Clock::time_point(std::chrono::nanoseconds(measure_to_)));
            end_timer_.async_wait([this](const boost::system::error_code& ec) {
                if (ec) return;
                stopped_ = true;
                io_.stop();
            });
        }
        for (std::size_t i = 0; i < connections_.size(); ++i) {
            Connection& c = *connections_[i];
            State& s = *states_[i];
            if (mode_ == Mode::kOpen) send_due(c, s, now_ns());
            else issue_closed(c, s);
            c.flush();
            if (mode_ == Mode::kPreload && s.next_key >= s.end_key && s.in_flight == 0 && ++done_ == states_.size()) io_.stop();
        }
    }

    void issue(Connection& c, State& s, std::int64_t start_ns) {
        const std::uint32_t tag = s.free.back();
        s.free.pop_back();
        ++s.in_flight;
        char key[kKeyLength];
        std::uint64_t index;
        bool is_set;
        if (mode_ == Mode::kPreload) {
            index = s.next_key++;
            is_set = true;
        } else {
            index = keys_.next(random_);
            is_set = o_.set_ratio >= 1.0 || (o_.set_ratio > 0 && random_.next_double() < o_.set_ratio);
        }
        format_key(index, key);
        s.slots[tag] = Slot{start_ns, is_set};
        const std::string_view key_view(key, kKeyLength);
        if (is_set) c.set(key_view, values_.value_for(index), tag);
        else c.get(key_view, tag);
    }

    void issue_closed(Connection& c, State& s) {
        while (s.in_flight < cap_ && (mode_ != Mode::kPreload || s.next_key < s.end_key)) issue(c, s, now_ns());
    }

    std::int64_t intended(const State& s, std::uint64_t k) const {
        return go_ns_ + static_cast<std::int64_t>((static_cast<double>(k) + s.offset) * s.interval_ns);
    }

    // Open loop: send every request that is due, within the in-flight cap; then sleep until the
    // next one is due (or until an answer frees a slot).
    void send_due(Connection& c, State& s, std::int64_t now) {
        bool sent = false;
        while (s.in_flight < cap_ && intended(s, s.next_k) <= now) {
            issue(c, s, intended(s, s.next_k));
            ++s.next_k;
            sent = true;
        }
        if (sent) c.flush();
        if (s.in_flight < cap_ && !stopped_) {
            s.timer.expires_at(Clock::time_point(std::chrono::nanoseconds(intended(s, s.next_k))));
            s.timer.async_wait([this, &c, &s](const boost::system::error_code& ec) {
                if (ec || stopped_) return;
                send_due(c, s, now_ns());
            });
        }
    }

    const Options& o_;
    Mode mode_;
    Shared& shared_;
    const KeyChooser& keys_;
    const ValueSource& values_;
    Random random_;
    int cap_ = 1;
    asio::io_context io_;
    asio::steady_timer end_timer_;
    asio::steady_timer go_timer_;
    std::vector<std::unique_ptr<State>> states_;
    std::vector<std::unique_ptr<Connection>> connections_;
    std::int64_t go_ns_ = 0;
    std::int64_t measure_from_ = 0;
    std::int64_t measure_to_ = 0;
    bool stopped_ = false;
    std::size_t done_ = 0;
    std::uint64_t errors_seen_ = 0;
    std::uint64_t answers_ = 0;  // all, warmup included
    RunResult result_;
};

RunResult run_mode(Driver& driver, const Options& o, Mode mode) {
    const KeyChooser keys(o.distribution, o.keys, o.zipf_theta);
    const ValueSource values(o.value_size);
    Shared shared;
    const int threads = std::min(o.threads, o.connections);
    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < threads; ++t) {
        const int first = o.connections * t / threads;
        const int last = o.connections * (t + 1) / threads;
        workers.push_back(std::make_unique<Worker>(driver, o, mode, shared, first, last - first, keys, values,
                                                   o.seed * 1000003 + static_cast<std::uint64_t>(t)));
    }
    std::vector<std::thread> pool;
    for (auto& w : workers) pool.emplace_back([&w] { w->run(); });
    // Start when every connection is ready (10 s at most).
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (shared.ready.load() < o.connections && !shared.abort && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (shared.ready.load() < o.connections && !shared.abort) shared.fail("connections not ready within 10 s");
    const std::int64_t go = now_ns() + 2'000'000;
    const std::int64_t cpu_before = process_cpu_ns();
    shared.go_ns = go;
    for (auto& t : pool) t.join();
    const std::int64_t finished = now_ns();
    const std::int64_t cpu_used = process_cpu_ns() - cpu_before;
    std::uint64_t answers = 0;
    for (auto& w : workers) answers += w->answers();

    RunResult result;
    result.label = o.label;
    result.driver = driver.name();
    result.mode = mode == Mode::kPreload ? "preload" : mode == Mode::kOpen ? "open" : "closed";
    result.options = o;
    for (auto& w : workers) {
        RunResult& r = w->result();
        result.gets += r.gets;
        result.sets += r.sets;
        result.misses += r.misses;
        result.errors += r.errors;
        result.all.merge(r.all);
        result.get.merge(r.get);
        result.set.merge(r.set);
    }
    result.seconds = mode == Mode::kPreload ? static_cast<double>(finished - go) / 1e9 : o.seconds;
    result.failure = shared.failure;
    if (answers > 0) result.load_cpu_us_per_op = static_cast<double>(cpu_used) / 1000.0 / static_cast<double>(answers);
    return result;
}

}  // namespace

RunResult run_preload(Driver& driver, const Options& options) { return run_mode(driver, options, Mode::kPreload); }

RunResult run_load(Driver& driver, const Options& options) {
    return run_mode(driver, options, options.rate > 0 ? Mode::kOpen : Mode::kClosed);
}

}  // namespace shoal::bench
