#include "bus/rabbitmq/amqp_connection.h"

#include <amqp.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

namespace certfleet::bus::rabbitmq {
namespace {

constexpr amqp_channel_t kChannel = 1;

amqp_bytes_t Bytes(std::string_view text) {
  return amqp_bytes_t{text.size(), const_cast<char*>(text.data())};
}

std::string Text(amqp_bytes_t bytes) {
  return std::string(static_cast<const char*>(bytes.bytes), bytes.len);
}

timeval ToTimeval(Duration d) {
  auto ms = d.count();
  return timeval{.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
}

// "ACCESS_REFUSED - Login was refused ..." → "ACCESS_REFUSED".
std::string ReplyName(const std::string& reply_text) {
  auto end = reply_text.find(" - ");
  return end == std::string::npos ? reply_text : reply_text.substr(0, end);
}

}  // namespace

struct AmqpConnection::State {
  amqp_connection_state_t conn = amqp_new_connection();
  bool logged_in = false;
  bool healthy = true;  // false after any failure: skip the polite close
  Duration rpc_timeout{};
  // amqp_login returns its reply instead of leaving it for amqp_get_rpc_reply.
  std::optional<amqp_rpc_reply_t> login_reply;

  ~State() {
    if (logged_in && healthy) {
      amqp_channel_close(conn, kChannel, AMQP_REPLY_SUCCESS);
      amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(conn);
  }
};

AmqpConnection::AmqpConnection(std::unique_ptr<State> state, std::string url)
    : state_(std::move(state)), url_(std::move(url)) {}

AmqpConnection::~AmqpConnection() = default;

Error AmqpConnection::Broken(std::string_view step, ErrorCode code, std::string_view detail) const {
  state_->healthy = false;
  return Error{code, "RabbitMQ at " + url_ + ": " + std::string(step) + ": " + std::string(detail)};
}

Status AmqpConnection::CheckRpc(std::string_view step) {
  amqp_rpc_reply_t reply = state_->login_reply ? *std::exchange(state_->login_reply, std::nullopt)
                                               : amqp_get_rpc_reply(state_->conn);
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return Ok();
    case AMQP_RESPONSE_NONE:
      return Fail(Broken(step, ErrorCode::kProtocol, "no reply from the broker"));
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: {
      bool timeout = reply.library_error == AMQP_STATUS_TIMEOUT;
      return Fail(Broken(step, timeout ? ErrorCode::kDeadlineExceeded : ErrorCode::kUnavailable,
                         amqp_error_string2(reply.library_error)));
    }
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      break;
  }
  std::string text;
  int code = 0;
  if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    auto* close = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
    code = close->reply_code;
    text = Text(close->reply_text);
  } else if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    auto* close = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
    code = close->reply_code;
    text = Text(close->reply_text);
  }
  if (code == AMQP_ACCESS_REFUSED && !state_->logged_in) {
    state_->healthy = false;
    return Fail(ErrorCode::kUnauthenticated, "RabbitMQ at " + url_ + ": login refused (" +
                                                 ReplyName(text) + ") — check user/password");
  }
  ErrorCode error_code = code == AMQP_ACCESS_REFUSED || code == AMQP_NOT_ALLOWED
                             ? ErrorCode::kPermissionDenied
                             : ErrorCode::kUnavailable;
  return Fail(Broken(step, error_code, "the broker refused: " + std::to_string(code) + " " + text));
}

Result<std::unique_ptr<AmqpConnection>> AmqpConnection::Open(const BrokerEndpoint& endpoint) {
  auto state = std::make_unique<State>();
  std::unique_ptr<AmqpConnection> connection(
      new AmqpConnection(std::move(state), endpoint.DisplayUrl()));
  amqp_connection_state_t conn = connection->state_->conn;
  connection->state_->rpc_timeout = endpoint.rpc_timeout;
  amqp_socket_t* socket = endpoint.tls ? amqp_ssl_socket_new(conn) : amqp_tcp_socket_new(conn);
  if (socket == nullptr) {
    return Fail(connection->Broken("creating the socket", ErrorCode::kInternal, "out of memory"));
  }
  if (endpoint.tls) {
    amqp_ssl_socket_set_verify_peer(socket, 1);
    amqp_ssl_socket_set_verify_hostname(socket, 1);
    if (amqp_ssl_socket_set_cacert(socket, endpoint.ca_file.c_str()) != AMQP_STATUS_OK) {
      return Fail(connection->Broken("loading the CA file " + endpoint.ca_file.string(),
                                     ErrorCode::kInvalidArgument, "not a readable PEM file"));
    }
  }
  timeval connect_timeout = ToTimeval(endpoint.connect_timeout);
  timeval rpc_timeout = ToTimeval(endpoint.rpc_timeout);
  amqp_set_handshake_timeout(conn, &connect_timeout);
  amqp_set_rpc_timeout(conn, &rpc_timeout);
  int rc = amqp_socket_open_noblock(socket, endpoint.host.c_str(), endpoint.port, &connect_timeout);
  if (rc != AMQP_STATUS_OK) {
    return Fail(connection->Broken("connecting", ErrorCode::kUnavailable, amqp_error_string2(rc)));
  }
  connection->state_->login_reply =
      amqp_login(conn, endpoint.vhost.c_str(), 0, 131072, endpoint.heartbeat_seconds,
                 AMQP_SASL_METHOD_PLAIN, endpoint.user.c_str(), endpoint.password.c_str());
  if (auto s = connection->CheckRpc("logging in to vhost \"" + endpoint.vhost + "\""); !s) {
    return Fail(s.error());
  }
  connection->state_->logged_in = true;
  amqp_channel_open(conn, kChannel);
  if (auto s = connection->CheckRpc("opening a channel"); !s) return Fail(s.error());
  return connection;
}

Status AmqpConnection::DeclareTopicExchange(std::string_view name) {
  amqp_exchange_declare(state_->conn, kChannel, Bytes(name), amqp_cstring_bytes("topic"),
                        /*passive=*/0, /*durable=*/1, /*auto_delete=*/0, /*internal=*/0,
                        amqp_empty_table);
  return CheckRpc("declaring the topic exchange \"" + std::string(name) + "\"");
}

Status AmqpConnection::CheckExchangeExists(std::string_view name) {
  amqp_exchange_declare(state_->conn, kChannel, Bytes(name), amqp_cstring_bytes("topic"),
                        /*passive=*/1, /*durable=*/1, /*auto_delete=*/0, /*internal=*/0,
                        amqp_empty_table);
  return CheckRpc("looking up the exchange \"" + std::string(name) + "\"");
}

Status AmqpConnection::EnableConfirms() {
  amqp_confirm_select(state_->conn, kChannel);
  return CheckRpc("enabling publisher confirms");
}

Status AmqpConnection::Publish(std::string_view exchange, const Message& message) {
  amqp_basic_properties_t props{};
  props._flags = static_cast<amqp_flags_t>(
      AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG |
      AMQP_BASIC_TIMESTAMP_FLAG | AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_APP_ID_FLAG);
  props.content_type = amqp_cstring_bytes("application/json");
  props.delivery_mode = 2;  // persistent: survives a broker restart in a durable queue
  props.message_id = Bytes(message.id);
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(message.time.time_since_epoch());
  props.timestamp = static_cast<std::uint64_t>(std::max<std::int64_t>(0, seconds.count()));
  props.type = Bytes(message.type);
  props.app_id = amqp_cstring_bytes("certfleet");
  int rc = amqp_basic_publish(state_->conn, kChannel, Bytes(exchange), Bytes(message.routing_key),
                              /*mandatory=*/0, /*immediate=*/0, &props, Bytes(message.body));
  if (rc != AMQP_STATUS_OK) {
    return Fail(Broken("publishing event " + std::to_string(message.revision),
                       ErrorCode::kUnavailable, amqp_error_string2(rc)));
  }
  return Ok();
}

namespace {

// What an unsolicited method frame means to us.
struct FrameMeaning {
  std::optional<Confirm> confirm;
  std::optional<std::string> closed;  // the broker closed the channel/connection: why
};

FrameMeaning Interpret(const amqp_frame_t& frame) {
  FrameMeaning meaning;
  if (frame.frame_type != AMQP_FRAME_METHOD) return meaning;
  const amqp_method_t& method = frame.payload.method;
  switch (method.id) {
    case AMQP_BASIC_ACK_METHOD: {
      auto* ack = static_cast<amqp_basic_ack_t*>(method.decoded);
      meaning.confirm = Confirm{ack->delivery_tag, ack->multiple != 0, true};
      break;
    }
    case AMQP_BASIC_NACK_METHOD: {
      auto* nack = static_cast<amqp_basic_nack_t*>(method.decoded);
      meaning.confirm = Confirm{nack->delivery_tag, nack->multiple != 0, false};
      break;
    }
    case AMQP_CHANNEL_CLOSE_METHOD: {
      auto* close = static_cast<amqp_channel_close_t*>(method.decoded);
      meaning.closed = "the broker closed the channel: " + std::to_string(close->reply_code) + " " +
                       Text(close->reply_text);
      break;
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
      auto* close = static_cast<amqp_connection_close_t*>(method.decoded);
      meaning.closed = "the broker closed the connection: " + std::to_string(close->reply_code) +
                       " " + Text(close->reply_text);
      break;
    }
    case AMQP_BASIC_CANCEL_METHOD:
      meaning.closed = "the broker cancelled the consumer (queue deleted?)";
      break;
    default:
      break;  // e.g. basic.return of an unroutable message: nothing to do
  }
  return meaning;
}

}  // namespace

Result<Confirm> AmqpConnection::WaitConfirm() {
  for (;;) {
    amqp_frame_t frame;
    timeval timeout = ToTimeval(state_->rpc_timeout);
    int rc = amqp_simple_wait_frame_noblock(state_->conn, &frame, &timeout);
    if (rc == AMQP_STATUS_TIMEOUT) {
      return Fail(
          Broken("waiting for publisher confirms", ErrorCode::kDeadlineExceeded,
                 "no confirm within " + std::to_string(state_->rpc_timeout.count()) + " ms"));
    }
    if (rc != AMQP_STATUS_OK) {
      return Fail(Broken("waiting for publisher confirms", ErrorCode::kUnavailable,
                         amqp_error_string2(rc)));
    }
    FrameMeaning meaning = Interpret(frame);
    if (meaning.closed) {
      return Fail(
          Broken("waiting for publisher confirms", ErrorCode::kUnavailable, *meaning.closed));
    }
    if (meaning.confirm) return *meaning.confirm;
  }
}

Status AmqpConnection::DeclareBoundQueue(std::string_view queue, std::string_view exchange,
                                         std::string_view binding_key) {
  amqp_queue_declare(state_->conn, kChannel, Bytes(queue), /*passive=*/0, /*durable=*/1,
                     /*exclusive=*/0, /*auto_delete=*/0, amqp_empty_table);
  if (auto s = CheckRpc("declaring the queue \"" + std::string(queue) + "\""); !s) return s;
  amqp_queue_bind(state_->conn, kChannel, Bytes(queue), Bytes(exchange), Bytes(binding_key),
                  amqp_empty_table);
  return CheckRpc("binding the queue \"" + std::string(queue) + "\" to " +
                  std::string(binding_key));
}

Status AmqpConnection::Consume(std::string_view queue, std::uint16_t prefetch) {
  amqp_basic_qos(state_->conn, kChannel, 0, prefetch, 0);
  if (auto s = CheckRpc("setting the prefetch count"); !s) return s;
  amqp_basic_consume(state_->conn, kChannel, Bytes(queue), amqp_empty_bytes, /*no_local=*/0,
                     /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table);
  return CheckRpc("consuming from the queue \"" + std::string(queue) + "\"");
}

Result<std::optional<Delivery>> AmqpConnection::NextDelivery(Duration timeout) {
  amqp_maybe_release_buffers(state_->conn);
  amqp_envelope_t envelope;
  timeval wait = ToTimeval(timeout);
  amqp_rpc_reply_t reply = amqp_consume_message(state_->conn, &envelope, &wait, 0);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
    Delivery delivery{.delivery_tag = envelope.delivery_tag,
                      .routing_key = Text(envelope.routing_key),
                      .body = Text(envelope.message.body),
                      .redelivered = envelope.redelivered != 0};
    amqp_destroy_envelope(&envelope);
    return delivery;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_TIMEOUT) {
    return std::optional<Delivery>{};
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // A method frame other than a delivery is waiting: read it and see what it is.
    amqp_frame_t frame;
    int rc = amqp_simple_wait_frame_noblock(state_->conn, &frame, &wait);
    if (rc != AMQP_STATUS_OK && rc != AMQP_STATUS_TIMEOUT) {
      return Fail(Broken("consuming", ErrorCode::kUnavailable, amqp_error_string2(rc)));
    }
    if (rc == AMQP_STATUS_OK) {
      if (auto closed = Interpret(frame).closed) {
        return Fail(Broken("consuming", ErrorCode::kUnavailable, *closed));
      }
    }
    return std::optional<Delivery>{};
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) {
    return Fail(
        Broken("consuming", ErrorCode::kUnavailable, amqp_error_string2(reply.library_error)));
  }
  return Fail(Broken("consuming", ErrorCode::kUnavailable, "unexpected reply from the broker"));
}

Status AmqpConnection::Ack(std::uint64_t delivery_tag) {
  int rc = amqp_basic_ack(state_->conn, kChannel, delivery_tag, /*multiple=*/0);
  if (rc != AMQP_STATUS_OK) {
    return Fail(Broken("acknowledging a message", ErrorCode::kUnavailable, amqp_error_string2(rc)));
  }
  return Ok();
}

Status AmqpConnection::KeepAlive() {
  amqp_maybe_release_buffers(state_->conn);
  amqp_frame_t frame;
  timeval none{0, 0};
  int rc = amqp_simple_wait_frame_noblock(state_->conn, &frame, &none);
  if (rc == AMQP_STATUS_TIMEOUT) return Ok();
  if (rc != AMQP_STATUS_OK) {
    return Fail(
        Broken("keeping the connection alive", ErrorCode::kUnavailable, amqp_error_string2(rc)));
  }
  if (auto closed = Interpret(frame).closed) {
    return Fail(Broken("keeping the connection alive", ErrorCode::kUnavailable, *closed));
  }
  return Ok();
}

}  // namespace certfleet::bus::rabbitmq
