// The client's exceptions: every failure a caller sees is one of these.
//
//   ServerError      the member answered with the protocol's error response: the Java class
//                    name, the error code and the member's message
//   ConnectionError  no member could be reached or a connection closed; names the address
//   TimeoutError     the invocation timeout passed (retries included)
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace shoal::client {

class ClientError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ServerError : public ClientError {
public:
    ServerError(std::int32_t code, std::string class_name, std::string message);
    std::int32_t code() const { return code_; }
    const std::string& class_name() const { return class_name_; }
    const std::string& server_message() const { return message_; }

private:
    std::int32_t code_;
    std::string class_name_;
    std::string message_;
};

class ConnectionError : public ClientError {
public:
    using ClientError::ClientError;
};

class TimeoutError : public ClientError {
public:
    using ClientError::ClientError;
};

}  // namespace shoal::client
