// ReplicaState: what this member is for one partition, kept beside the partition's store on
// its owner thread (and touched by no other thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shoal::partition {

struct ReplicaState {
    int index = -1;                    // from the table: 0 owner, 1.. backup, -1 not a replica
    std::vector<std::string> backups;  // owner: the table's replicas 1.., in order
    // Owner: migration destinations that receive every write (and must ack it) until the
    // master commits or aborts the migration.
    std::vector<std::string> destinations;
    bool handed_off = false;  // owner: stopped serving while its successor takes over
    bool receiving = false;   // a snapshot transfer into this partition is under way
    // A migration destination holds its copy from the first chunk until a table names it a
    // replica (the commit) or the transfer is aborted: tables published meanwhile for other
    // partitions must not make it drop the copy.
    bool incoming = false;
    bool out_of_sync = false; // a backup that missed writes and asked its owner for a snapshot
    // Answered an owner's digest request: a differential snapshot follows. Its copy counts as
    // incomplete (version 0) until the snapshot's last chunk; writes arriving meanwhile are
    // applied without asking for yet another snapshot.
    bool awaiting_refill = false;
    // Data recovered from disk for a partition no table names here yet (a member back from a
    // restart whose replicas were promoted elsewhere): kept, not served, so that a migration
    // bringing the partition back only sends what changed. Dropped once the cluster is ACTIVE
    // with no migration pending.
    bool retained = false;
    std::uint64_t version = 0;  // grows by one with every write the owner applies

    bool serving() const { return index == 0 && !handed_off; }
};

}  // namespace shoal::partition
