#include "map/partition_store.h"

namespace shoal::map {

RecordStore* PartitionStore::find(std::string_view map_name) {
    auto it = stores_.find(std::string(map_name));
    return it == stores_.end() ? nullptr : it->second.get();
}

RecordStore& PartitionStore::get_or_create(std::string_view map_name) {
    auto it = stores_.find(std::string(map_name));
    if (it != stores_.end()) return *it->second;
    MapLimits limits = limits_ ? limits_(map_name) : MapLimits{};
    auto [inserted, ok] =
        stores_.emplace(std::string(map_name), std::make_unique<RecordStore>(limits));
    return *inserted->second;
}

}  // namespace shoal::map
