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
    if (expiry_listener_) {
        inserted->second->set_expiry_listener(
            [listener = expiry_listener_, name = inserted->first](std::string_view key, std::string_view value) {
                (*listener)(name, key, value);
            });
    }
    return *inserted->second;
}

void PartitionStore::set_expiry_listener(ExpiryListener listener) {
    expiry_listener_ = std::make_shared<const ExpiryListener>(std::move(listener));
    for (auto& [name, store] : stores_) {
        store->set_expiry_listener([listener = expiry_listener_, name = name](std::string_view key, std::string_view value) {
            (*listener)(name, key, value);
        });
    }
}

}  // namespace shoal::map
