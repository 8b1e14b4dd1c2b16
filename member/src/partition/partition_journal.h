// The partition layer's side of persistence: what a replica applies is written to its thread's
// log before anything is acknowledged, and a log read back at start rebuilds the replicas.
//
// Every path that changes a replica (the owner's writes, backups, migration chunks, drops,
// clears) passes through journal_* here, on the partition's thread, so the log holds exactly
// the sequence of states the member acknowledged. With persistence off the calls do nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "partition/partition_threads.h"
#include "partition/replica_messages.h"
#include "persistence/data_log.h"

namespace shoal::partition {

// Appends the changes partition `p` applied (at `version`) and commits them.
void journal_changes(ThreadContext& context, int p, std::uint64_t version, const std::vector<EntryChange>& changes);
// The partition's data is gone from this member (dropped, or about to be replaced whole).
void journal_drop(ThreadContext& context, int p);
// A copy received in chunks is whole at `version`. Until this record, chunks are journaled at
// version 0, so a member that dies in the middle of a transfer never takes its partial copy for
// a current one.
void journal_complete(ThreadContext& context, int p, std::uint64_t version);

// Rewrites the thread's log as the live entries alone when it has grown to more than twice
// their size (and at least 64 MiB), so the log never outgrows the data by much. Runs on the
// thread, between tasks; the thread's partitions wait for it (about a second per GiB).
void compact_log_if_due(ThreadContext& context);

// What a thread's recovery found.
struct ThreadRecovery {
    persistence::ReplayReport report;
    std::uint64_t entries = 0;  // live entries in the rebuilt stores
    std::int64_t load_us = 0;   // the thread's own replay time: its load speed is bytes over it
};

// On the thread's own context: replays its log into its stores and replica versions, then
// keeps the log for the writes to come (set_log). Throws what opening the log throws.
ThreadRecovery recover_thread(ThreadContext& context, persistence::DataLogOptions options);

}  // namespace shoal::partition
