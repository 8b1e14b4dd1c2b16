// Human names of client protocol message types, for errors and logs.
#pragma once

#include <cstdint>
#include <string>

namespace shoal::protocol {

// "Map.put" for 0x010100; nullptr when the type is not a request of the protocol definitions.
const char* request_name(std::int32_t request_type);
// "Map.lock (0x011000)", or "message type 0x7F0000" when unknown.
std::string describe_message_type(std::int32_t type);

}  // namespace shoal::protocol
