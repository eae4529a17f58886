#include "speaker_process.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <stdexcept>

#include "bgp/admin/admin_client.h"
#include "support/temp_dir.h"

namespace kr::test {

SpeakerProcess::SpeakerProcess(const ScopedNetns& netns, std::filesystem::path dir,
                               std::string yaml)
    : netns_(netns), dir_(std::move(dir)), socket_(dir_ / "bgp.sock"), yaml_(std::move(yaml)) {
  std::filesystem::create_directories(dir_);
}

SpeakerProcess::~SpeakerProcess() = default;

void SpeakerProcess::write_config() {
  write_file(dir_ / "speaker.yaml", yaml_ + "\nadmin_socket: " + socket_.string() + "\n");
}

void SpeakerProcess::start() {
  write_config();
  SpawnOptions o;
  o.stdout_path = dir_ / "speaker.log";
  o.stderr_path = dir_ / "speaker.log";
  process_ = std::make_unique<Subprocess>(netns_.spawn(
      {KR_BGP_SPEAKER_PATH, "--config", (dir_ / "speaker.yaml").string(), "-v", "1"}, o));
}

void SpeakerProcess::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait();
  process_.reset();
}

void SpeakerProcess::stop() {
  if (!process_) return;
  process_->stop();
  process_.reset();
}

void SpeakerProcess::reload(std::string yaml) {
  yaml_ = std::move(yaml);
  write_config();
  process_->signal(SIGHUP);
}

std::optional<int> SpeakerProcess::pid() const {
  if (!process_) return std::nullopt;
  return process_->pid();
}

boost::json::value SpeakerProcess::request(const std::string& json) const {
  const auto reply = bgp::admin::admin_request(socket_.string(), json, 10000);
  if (!reply.error.empty()) throw std::runtime_error(reply.error);
  return boost::json::parse(reply.body);
}

boost::json::object SpeakerProcess::neighbor(const std::string& address) const {
  const boost::json::value reply = request(R"({"command":"neighbors"})");
  for (const auto& n : reply.at("neighbors").as_array()) {
    if (n.at("address").as_string() == address) return n.as_object();
  }
  throw std::runtime_error("no neighbor " + address);
}

std::string SpeakerProcess::neighbor_state(const std::string& address) const {
  try {
    return std::string(neighbor(address).at("state").as_string());
  } catch (const std::exception&) {
    return "";
  }
}

SeenRib SpeakerProcess::rib(const std::string& family) const {
  SeenRib out;
  boost::json::value v;
  try {
    v = request(R"({"command":"rib","family":")" + family + "\"}");
  } catch (const std::exception&) {
    return out;
  }
  for (const auto& r : v.at("routes").as_array()) {
    const auto& o = r.as_object();
    if (!o.at("best").as_bool()) continue;
    SeenRoute s;
    s.prefix = std::string(o.at("prefix").as_string());
    s.next_hop = std::string(o.at("next_hop").as_string());
    for (const auto& a : o.at("as_path").as_array()) {
      s.as_path.push_back(static_cast<uint32_t>(a.to_number<int64_t>()));
    }
    for (const auto& c : o.at("communities").as_array()) {
      s.communities.emplace_back(c.as_string());
    }
    s.stale = o.at("stale").as_bool();
    out[s.prefix] = s;
  }
  return out;
}

std::size_t SpeakerProcess::destinations(const std::string& family) const {
  const auto v = request(R"({"command":"summary"})");
  return static_cast<std::size_t>(
      v.at("families").at(family + "-unicast").at("destinations").to_number<int64_t>());
}

std::string SpeakerProcess::log() const { return read_file_or_empty(dir_ / "speaker.log"); }

}  // namespace kr::test
