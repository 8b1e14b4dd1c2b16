// WebEndpoints: the embedded example app's own web API (the seed's /put and /get), answered by
// calling the member that runs in this process. Each request is parsed here, runs as one
// MapOperations call (routed to the key's partition owner, here or on another member), and its
// status becomes the reply in one place.
//
//   GET|POST /put?map=<name>&key=<k>&value=<v>  200 {"map","key","value","previous"}
//   GET      /get?map=<name>&key=<k>            200 {"map","key","value","found"}
//   GET      /health                            200 {"status":"UP",...} once the member is ready,
//                                                   else 503 {"status":"STARTING",...}
//
// `map` defaults to "map" (the seed's map). Keys and values are stored as Java Strings, as
// REST text/plain stores them, so Hazelcast clients and REST read back the same text; a value
// of another type (written by a client) is answered as REST renders it.
#pragma once

#include "cluster/cluster_service.h"
#include "http/http_types.h"
#include "partition/map_operations.h"

namespace shoal::examples {

inline constexpr const char* kDefaultMap = "map";

http::RequestHandler web_endpoints(partition::MapOperations& maps, cluster::ClusterService& cluster);

}  // namespace shoal::examples
