// `entmc audit` throughput: a generated CloudTrail trail file of N records
// (realistic records of ~900 bytes: EC2 launches and terminations of a
// Marketplace AMI by three members, and bulk deactivations and activations of
// the organization grant by the management account, every response as the
// model expects) streamed through the reader and the auditor from the
// imported fixture organization (tests/aws/fixtures/org). The records are
// generated on the fly by a streambuf, so the history never exists in memory:
// peak RSS (counter) stays flat from 100k to 10M records.
//
//   audit_bench --benchmark_filter='Audit/10000000'   (the 10M target: under a minute)
//   audit_bench --benchmark_filter='Read/'            (the reader alone)
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <istream>
#include <streambuf>

#include "aws/audit.h"
#include "aws/cloudtrail_reader.h"
#include "aws/org_import.h"

namespace {

using namespace entmc;

class TrailGenerator : public std::streambuf {
 public:
  explicit TrailGenerator(uint64_t records) : records_(records) { refill(); }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (!refill()) return traits_type::eof();
    return traits_type::to_int_type(*gptr());
  }

 private:
  bool refill() {
    buf_.clear();
    if (i_ == 0 && !opened_) {
      buf_ = "{\"Records\": [\n";
      opened_ = true;
    }
    for (int k = 0; k < 64 && i_ < records_; ++k, ++i_) record(i_);
    if (i_ == records_ && !closed_ && buf_.size() < 64 * 1024) {
      buf_ += "\n]}\n";
      closed_ = true;
    }
    if (buf_.empty()) return false;
    setg(buf_.data(), buf_.data(), buf_.data() + buf_.size());
    return true;
  }

  void record(uint64_t i) {
    static const char* kMembers[] = {"776190005587", "753322148001", "423325614417"};
    const uint64_t cycle = i / 6, step = i % 6;
    const uint64_t t = 1772400000 + i;  // one record a second
    const int64_t days = int64_t(t / 86400), secs = int64_t(t % 86400);
    // civil from days (H. Hinnant)
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    std::string time = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
    const char* member = kMembers[cycle % 3];
    std::string account, source, name, req, resp;
    const std::string instance = fmt::format("i-{:017x}", cycle);
    const std::string org_grant = "arn:aws:license-manager::838202657455:grant:g-1a7ef6ae1bba45a0bb83ebf701e3340d";
    switch (step) {
      case 0:
      case 4:
        account = member, source = "ec2.amazonaws.com", name = "RunInstances";
        req = R"({"instancesSet":{"items":[{"imageId":"ami-0c7217cdde317cfec","minCount":1,"maxCount":1}]},"instanceType":"t3.micro"})";
        resp = fmt::format(R"({{"reservationId":"r-0123456789abcdef0","ownerId":"{}","instancesSet":{{"items":[{{"instanceId":"{}{}","imageId":"ami-0c7217cdde317cfec"}}]}}}})",
                           member, instance, step);
        break;
      case 1:
      case 5:
        account = member, source = "ec2.amazonaws.com", name = "TerminateInstances";
        req = fmt::format(R"({{"instancesSet":{{"items":[{{"instanceId":"{}{}"}}]}}}})", instance, step - 1);
        resp = fmt::format(R"({{"instancesSet":{{"items":[{{"instanceId":"{}{}","currentState":{{"code":32,"name":"shutting-down"}}}}]}}}})",
                           instance, step - 1);
        break;
      default: {
        // The organization grant starts at version 2; each bulk change adds one.
        const uint64_t version = 2 + cycle * 2 + (step - 1);
        const char* status = step == 2 ? "DISABLED" : "ACTIVE";
        account = "838202657455", source = "license-manager.amazonaws.com", name = "CreateGrantVersion";
        req = fmt::format(R"({{"clientToken":"tok-{}","grantArn":"{}","status":"{}"}})", i, org_grant, status);
        resp = fmt::format(R"({{"grantArn":"{}","status":"WORKFLOW_COMPLETED","version":"{}"}})", org_grant, version);
      }
    }
    if (i) buf_ += ",\n";
    buf_ += fmt::format(
        R"({{"eventVersion":"1.08","userIdentity":{{"type":"AssumedRole","principalId":"AROAEXAMPLEROLEID:ops","arn":"arn:aws:sts::{0}:assumed-role/Admin/ops","accountId":"{0}","accessKeyId":"ASIAEXAMPLEKEYID"}},"eventTime":"{1}","eventSource":"{2}","eventName":"{3}","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.10","userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.1","requestParameters":{4},"responseElements":{5},"requestID":"req-{6:016x}","eventID":"{6:08x}-0000-4000-8000-{6:012x}","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"{0}","eventCategory":"Management"}})",
        account, time, source, name, req, resp, i);
  }

  uint64_t records_, i_ = 0;
  bool opened_ = false, closed_ = false;
  std::string buf_;
};

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

void Audit(benchmark::State& state) {
  static const Scenario start = [] {
    aws::ImportedOrg o = aws::import_directory(std::string(ENTMC_SOURCE_DIR) + "/tests/aws/fixtures/org");
    return parse_scenario_text(o.scenario, "imported.yaml");
  }();
  const uint64_t n = uint64_t(state.range(0));
  uint64_t findings = 0, applied = 0;
  for (auto _ : state) {
    TrailGenerator gen(n);
    std::istream in(&gen);
    aws::AuditOptions opt;
    opt.amis["ami-0c7217cdde317cfec"] = "Ubuntu";
    aws::Auditor auditor(start, opt);
    aws::read_trail_stream(in, "generated", [&](aws::TrailEvent&& e) { auditor.add(std::move(e)); },
                          aws::Auditor::reads_parameters);
    auditor.finish();
    findings = auditor.stats().findings;
    applied = auditor.stats().applied;
  }
  state.counters["events_per_s"] = benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["findings"] = double(findings);
  state.counters["applied"] = double(applied);
  state.counters["peak_rss_MiB"] = double(peak_rss_kib()) / 1024.0;
}

BENCHMARK(Audit)->Arg(100000)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kSecond)->Iterations(1);

// The reader alone (the SAX parse and the fields it keeps), to split the
// audit's time between reading and replaying.
void Read(benchmark::State& state) {
  const uint64_t n = uint64_t(state.range(0));
  uint64_t seen = 0;
  for (auto _ : state) {
    TrailGenerator gen(n);
    std::istream in(&gen);
    aws::read_trail_stream(in, "generated", [&](aws::TrailEvent&& e) { seen += e.ordinal != 0; },
                           aws::Auditor::reads_parameters);
  }
  state.counters["events_per_s"] = benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["records"] = double(seen);
}

BENCHMARK(Read)->Arg(100000)->Arg(1000000)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
