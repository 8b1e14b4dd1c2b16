#include "cluster/statefulset_watcher.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <optional>

#include "cluster/auto_cluster_state.h"
#include "cluster/cluster_service.h"
#include "util/log.h"

namespace shoal::cluster {
namespace {

const util::Logger logger("shoal.cluster.state");
constexpr std::chrono::milliseconds kEvaluateInterval{1000};
constexpr std::chrono::milliseconds kMaxBackoff{10'000};
constexpr std::chrono::milliseconds kWatchIdleTimeout{60'000};

}  // namespace

std::string statefulset_of_pod(const std::string& pod_name) {
    const auto dash = pod_name.rfind('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 == pod_name.size()) return {};
    for (std::size_t i = dash + 1; i < pod_name.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(pod_name[i]))) return {};
    }
    return pod_name.substr(0, dash);
}

// Everything the threads touch. `cluster` is null once stopped: every use of it happens under
// `mutex` after checking it, so a stop waits for a decision in progress and none follows.
struct StatefulSetWatcher::State {
    State(ClusterService& c, kube::InCluster w, std::string sts, config::AutoClusterStateStrategy s)
        : cluster(&c), where(std::move(w)), statefulset(std::move(sts)), strategy(s), api(where.endpoint) {}

    bool stopping() {
        std::lock_guard lock(mutex);
        return cluster == nullptr;
    }
    // false once stopping
    bool sleep_for(std::chrono::milliseconds delay) {
        std::unique_lock lock(mutex);
        return !wake.wait_for(lock, delay, [this] { return cluster == nullptr; });
    }
    void watch_loop();
    bool list_and_watch(std::string& why);
    void observe(const kube::StatefulSetState& state);
    void evaluate();

    std::mutex mutex;
    std::condition_variable wake;
    ClusterService* cluster;
    const kube::InCluster where;
    const std::string statefulset;
    const config::AutoClusterStateStrategy strategy;
    const kube::ApiClient api;
    std::optional<kube::StatefulSetState> latest;
    std::optional<int> previous_replicas;  // spec.replicas the last decision was made with
    std::optional<ClusterState> last_set;  // the state this logic last chose
};

StatefulSetWatcher::StatefulSetWatcher(ClusterService& cluster, kube::InCluster where, std::string statefulset,
                                       config::AutoClusterStateStrategy strategy)
    : state_(std::make_shared<State>(cluster, std::move(where), std::move(statefulset), strategy)) {}

StatefulSetWatcher::~StatefulSetWatcher() { stop(); }

void StatefulSetWatcher::start() {
    const State& s = *state_;
    logger.info("automatic cluster state: watching StatefulSet " + s.where.namespace_ + "/" + s.statefulset + " (strategy " +
                (s.strategy == config::AutoClusterStateStrategy::kFrozen ? "FROZEN" : "NO_MIGRATION") + ")");
    watcher_ = std::thread([state = state_] { state->watch_loop(); });
    evaluator_ = std::thread([state = state_] {
        util::set_thread_name("sts-state");
        while (state->sleep_for(kEvaluateInterval)) state->evaluate();
    });
}

std::optional<int> StatefulSetWatcher::replicas() const {
    std::lock_guard lock(state_->mutex);
    if (!state_->latest) return std::nullopt;
    return state_->latest->replicas;
}

void StatefulSetWatcher::stop() {
    {
        std::lock_guard lock(state_->mutex);
        state_->cluster = nullptr;
    }
    state_->wake.notify_all();
    if (evaluator_.joinable()) evaluator_.join();
    if (watcher_.joinable()) watcher_.detach();
}

void StatefulSetWatcher::State::watch_loop() {
    util::set_thread_name("sts-watch");
    std::chrono::milliseconds backoff{500};
    while (!stopping()) {
        std::string why;
        if (list_and_watch(why)) {
            backoff = std::chrono::milliseconds(500);
            continue;
        }
        if (stopping()) return;
        logger.warn("automatic cluster state: " + why + "; asking again in " + std::to_string(backoff.count()) + " ms");
        if (!sleep_for(backoff)) return;
        backoff = std::min(backoff * 2, kMaxBackoff);
    }
}

bool StatefulSetWatcher::State::list_and_watch(std::string& why) {
    const std::string base = "/apis/apps/v1/namespaces/" + where.namespace_ + "/statefulsets?fieldSelector=" +
                             kube::query_escape("metadata.name=" + statefulset);
    try {
        const kube::ApiResponse list = api.get(base);
        if (list.status != 200) {
            why = "listing StatefulSet " + statefulset + " answered " + std::to_string(list.status) + ": " +
                  kube::status_message(list.body) +
                  (list.status == 403 ? " (the Role needs: apiGroups [\"apps\"], resources [\"statefulsets\"], verbs [\"get\", \"list\", \"watch\"])"
                                      : "");
            return false;
        }
        const auto found = kube::statefulset_of_list(list.body);
        if (!found) {
            why = "StatefulSet " + statefulset + " not found in namespace " + where.namespace_;
            return false;
        }
        observe(*found);
        bool too_old = false;
        const int status = api.watch(base + "&watch=true&resourceVersion=" + kube::query_escape(found->resource_version),
                                     [&](const std::string& line) {
                                         if (stopping()) return false;
                                         if (line.empty()) return true;
                                         const kube::StatefulSetEvent event = kube::statefulset_event(line);
                                         if (event.type == "ERROR") {
                                             too_old = event.error_code == 410;
                                             return false;
                                         }
                                         if (event.type != "DELETED") observe(event.statefulset);
                                         return true;
                                     },
                                     kWatchIdleTimeout);
        if (status != 200 && !too_old) {
            why = "watching StatefulSet " + statefulset + " answered " + std::to_string(status);
            return false;
        }
        return true;  // the stream ended (or its version was too old): list again
    } catch (const std::exception& e) {
        why = std::string("the Kubernetes API: ") + e.what();
        return false;
    }
}

void StatefulSetWatcher::State::observe(const kube::StatefulSetState& state) {
    {
        std::lock_guard lock(mutex);
        latest = state;
    }
    evaluate();
}

void StatefulSetWatcher::State::evaluate() {
    std::lock_guard lock(mutex);
    if (cluster == nullptr || !latest || !cluster->is_master()) return;
    AutoStateInput in;
    in.statefulset = {latest->replicas, latest->ready_replicas};
    in.previous_replicas = previous_replicas;
    in.cluster_size = static_cast<int>(cluster->view().members.size());
    in.state = cluster->state();
    in.cluster_safe = cluster->cluster_safe();
    const ClusterState strategy_state =
        strategy == config::AutoClusterStateStrategy::kFrozen ? ClusterState::kFrozen : ClusterState::kNoMigration;
    // The strategy state is this logic's even when a previous master chose it.
    in.state_set_by_us = (last_set && *last_set == in.state) || in.state == strategy_state;
    const AutoStateDecision decision = decide_cluster_state(in, strategy);
    previous_replicas = latest->replicas;
    if (!decision.target) return;
    const ClusterState target = *decision.target;
    logger.info("automatic cluster state: " + std::string(to_string(in.state)) + " -> " + std::string(to_string(target)) +
                ": " + decision.reason);
    if (const auto error = cluster->change_state(target, StateChange::kTransient)) {
        logger.warn("automatic cluster state: the change to " + std::string(to_string(target)) + " failed: " + *error);
        return;
    }
    last_set = target;
}

}  // namespace shoal::cluster
