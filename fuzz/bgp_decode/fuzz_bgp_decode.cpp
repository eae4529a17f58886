// Feeds arbitrary bytes through the session's receive path: framing, then
// decoding of every message in the stream. The first input byte picks the
// negotiated options. Any message decoded without an RFC 7606 verdict must
// survive encode → decode unchanged.
//
// Run: fuzz_bgp_decode -max_total_time=120 fuzz/bgp_decode/corpus
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "bgp/codec/message.h"

namespace {

using kr::bgp::ByteSpan;
using kr::bgp::CodecOptions;
using kr::bgp::FrameResult;
using kr::bgp::UpdateMessage;

// Messages the encoder legitimately writes differently: NEXT_HOP without
// classic NLRI next to MP_REACH_NLRI is dropped by design (update.h).
bool encoder_normalizes(const UpdateMessage& u) {
  return u.mp_reach && u.nlri.empty() && u.attrs->next_hop.has_value();
}

void check_roundtrip(const kr::bgp::Message& m, const CodecOptions& opts) {
  const auto* u = std::get_if<UpdateMessage>(&m);
  if (u == nullptr || u->error_action != kr::bgp::ErrorAction::kNone || !opts.four_octet_as ||
      encoder_normalizes(*u)) {
    return;
  }
  const kr::bgp::Bytes wire = kr::bgp::encode_update(*u, opts);
  if (wire.size() > kr::bgp::kMaxExtendedMessageSize) return;
  CodecOptions again = opts;
  again.extended_message = true;
  auto back = kr::bgp::decode_message(wire, again);
  if (!back.ok() || !(std::get<UpdateMessage>(back.value()) == *u)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  const CodecOptions opts{
      .four_octet_as = (selector & 1) == 0,
      .extended_message = (selector & 2) != 0,
      .ebgp = (selector & 4) != 0,
      .allow_loopback_next_hop = (selector & 8) != 0,
  };
  ByteSpan stream(data + 1, size - 1);
  while (!stream.empty()) {
    FrameResult f = kr::bgp::next_frame(stream, opts.extended_message);
    if (f.status != FrameResult::Status::kFrame) break;
    auto m = kr::bgp::decode_message(f.frame, opts);
    if (m.ok()) {
      check_roundtrip(m.value(), opts);
      if (auto* u = std::get_if<UpdateMessage>(&m.value())) (void)u->end_of_rib();
    } else {
      (void)m.error().describe();
    }
    stream = stream.subspan(f.frame.message.size());
  }
  return 0;
}
