#include "client/client_errors.h"

namespace shoal::client {

ServerError::ServerError(std::int32_t code, std::string class_name, std::string message)
    : ClientError(class_name + ": " + message + " (error code " + std::to_string(code) + ")"),
      code_(code),
      class_name_(std::move(class_name)),
      message_(std::move(message)) {}

}  // namespace shoal::client
