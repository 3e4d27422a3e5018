// gcstress remote target — RemoteTarget: a Target whose system lives in another process.
//
// Every Target call becomes one request line to the adapter and one reply line back (protocol 1,
// targets/README.md). The adapter is started at the first Begin and kept across executions; one
// that exits, writes garbage or does not answer within its reply timeout is killed, the execution
// gets a TargetFailure (crash, target-error or hang, with the adapter's standard error as
// evidence), and the next Begin starts a fresh adapter.
//
// Determinism: gcstress sends the same requests for the same scenario, seed and strategy, and an
// adapter must answer the same requests the same way; the target adds nothing that varies
// (sites and error names are interned texts, ids are the adapter's own).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "harness/target/target.h"
#include "harness/targets/remote/adapter_process.h"
#include "harness/targets/remote/manifest.h"

namespace gcs::remote {

class RemoteTarget final : public Target {
 public:
  RemoteTarget(Manifest manifest, std::string version);
  ~RemoteTarget() override;
  RemoteTarget(const RemoteTarget&) = delete;
  RemoteTarget& operator=(const RemoteTarget&) = delete;

  std::string_view Name() const override { return manifest_.name; }
  std::string_view Version() const override { return version_; }
  OpSet SupportedOps() const override { return manifest_.ops; }
  std::vector<std::string> FaultNames() const override { return manifest_.faults; }
  bool FullEventStream() const override { return manifest_.full_event_stream; }
  bool ReportsHolders() const override {
    return manifest_.reports_holders || manifest_.full_event_stream;
  }
  // The adapter is one process answering one request at a time: no per-thread state here.
  bool NeedsOsThreads() const override { return false; }
  std::string About() const override;

  void Begin(const TargetExecution& exec) override;
  void ThreadBegin(uint32_t thread) override;
  StepResult Apply(const StepRequest& request) override;
  StepResult Discard(uint32_t thread, BindKind kind, const Value& value) override;
  bool ThreadStopped(uint32_t thread) override;
  void ThreadEnd(uint32_t thread) override;
  void Teardown() override;
  std::vector<core::AllocId> LiveObjects() override;
  std::optional<ObjectState> Inspect(core::AllocId id) override;
  void End() override;
  std::optional<TargetFailure> Failure() const override;

 private:
  struct Exchange;  // one request in flight: what it is, for messages and attribution
  struct Reply;

  // Sends `request`, reads and checks its reply, reports its events. False once the adapter has
  // failed (now or before): the caller then answers as a failed target does.
  bool Call(const Exchange& exchange, const std::string& request, Reply* reply);
  bool Start();
  void Fail(const Exchange& exchange, ViolationKind kind, std::string site, std::string message);
  StepResult Answer(const Reply& reply, bool binds);

  Manifest manifest_;
  std::string version_;
  std::unique_ptr<AdapterProcess> process_;
  mutable std::string library_;  // what hello said runs

  // One execution.
  const Scenario* scenario_ = nullptr;
  std::vector<std::string> faults_;
  core::Observer* observer_ = nullptr;
  std::chrono::milliseconds reply_timeout_{0};
  std::vector<bool> stopped_;  // by thread
  std::vector<core::AllocId> live_;
  bool live_read_ = false;
  std::optional<TargetFailure> failure_;

  std::mutex mu_;  // free mode: scenario threads call in parallel; requests never overlap
};

// The remote targets whose manifests load, in name order (TargetInfo for the target table).
std::vector<TargetInfo> ListRemoteTargets();
// The remote target of the manifest at `path`, at `version` ("" = its first).
Expected<std::unique_ptr<Target>> MakeRemoteTarget(const std::string& path,
                                                   const std::string& version);

}  // namespace gcs::remote

namespace gcs {
using remote::FindManifest;
using remote::IsManifestPath;
using remote::ListRemoteTargets;
using remote::MakeRemoteTarget;
inline std::optional<std::string> FindRemoteManifest(const std::string& name) {
  return remote::FindManifest(name);
}
}  // namespace gcs
