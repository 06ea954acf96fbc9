// A workload's revision as `serve`, `train` and the other commands that change
// a workload record it: a Secret of the plugin's own type in the workload's
// namespace, owned by the workload's ApplySet parent, holding the rendered
// objects (never templates) gzip-compressed, with every audit field also in
// its labels and annotations, so `history` lists metadata only and never
// downloads a payload (Helm's `helm list` downloads every release).
//
// The payload (what was applied, by whom, from which command line) is written
// once and the Secret is immutable; what a revision learns later (its status,
// when it finished, --wait's outcome) lives only in metadata, which an
// immutable Secret still lets the plugin change.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm {

inline constexpr char kRevisionSecretType[] = "kubectl-llm.dev/revision.v1";
/// Labels: what a list selects on.
inline constexpr char kRevisionOfLabel[] = "kubectl-llm.dev/revision-of";
inline constexpr char kRevisionNumberLabel[] = "kubectl-llm.dev/revision";
inline constexpr char kRevisionStatusLabel[] = "kubectl-llm.dev/revision-status";
inline constexpr char kRevisionOperationLabel[] = "kubectl-llm.dev/operation";
/// The payload's key in data: gzip of the Revision document (JSON).
inline constexpr char kRevisionPayloadKey[] = "revision.json.gz";
/// What the API server lets one Secret's data hold (core validation's MaxSecretSize).
inline constexpr size_t kMaxSecretDataBytes = 1024 * 1024;
/// What it lets one object's annotations hold in all (TotalAnnotationSizeLimitB).
inline constexpr size_t kMaxAnnotationBytes = 256 * 1024;

enum class RevisionStatus { kPending, kDeployed, kSuperseded, kFailed, kRolledBack };

/// "pending", "deployed", "superseded", "failed", "rolled-back" (Helm's words).
std::string_view RevisionStatusName(RevisionStatus status);
std::optional<RevisionStatus> ParseRevisionStatus(std::string_view text);

/// Everything about a revision but its objects: what the metadata carries.
struct RevisionAudit {
  std::string workload;
  std::string ns;
  int number = 0;
  std::string operation;  ///< serve, train, scale, rollback, delete
  RevisionStatus status = RevisionStatus::kPending;
  std::string started;   ///< RFC 3339
  std::string finished;  ///< RFC 3339; "" while pending
  std::string user;      ///< SelfSubjectReview's username (the impersonated one under --as)
  std::vector<std::string> groups;
  std::string real_user;  ///< under --as: who impersonated; "" otherwise
  std::string context;
  std::string server;
  std::string command_line;  ///< redacted (util/redacted_command_line.h)
  std::string plugin_version;
  std::string digest;  ///< RenderedDigest of the objects
  std::vector<std::string> images;
  std::string wait_outcome;  ///< "", "ready", "failed", "timed-out"
  std::string reason;        ///< one sentence: why it failed, or what a rollback returned to
  std::string description;   ///< Helm's DESCRIPTION: "Install complete", "Rollback to 2"
  /// Until when the command that wrote a pending revision holds it (RFC 3339);
  /// after that the next command may take it over.
  std::string lease_until;
  /// The kubernetes.io/change-cause this revision set: its own command line,
  /// or, when its objects equal the previous revision's, that one's cause
  /// (the state did not change, so neither did what caused it).
  std::string change_cause;
  std::string secret_name;  ///< metadata.name, when read back
};

struct Revision {
  RevisionAudit audit;
  std::vector<nlohmann::json> objects;  ///< the rendered objects, as applied
};

/// "kubectl-llm.NAME.v3".
std::string RevisionSecretName(std::string_view workload, int number);

/// A digest of the rendered objects as a whole (SHA-256, 128 bits, base64url):
/// equal objects in the same order give the same digest.
std::string RenderedDigest(const std::vector<nlohmann::json>& objects);

/// Every container and init container image the objects name, in order, once each.
std::vector<std::string> ImageReferences(const std::vector<nlohmann::json>& objects);

/// The whole Secret: type, labels, annotations, the gzip payload (base64 as
/// JSON carries bytes), immutable.
nlohmann::json RevisionSecret(const Revision& revision);

/// The revision Secret's metadata: name, namespace, and every audit field as
/// a label or annotation (what ReadRevisionAudit reads back).
nlohmann::json RevisionMetadata(const RevisionAudit& audit);

/// A merge patch of the fields a revision learns after it was written: status
/// (label and annotation), finished, wait outcome, reason, description, lease.
nlohmann::json RevisionStatusPatch(const RevisionAudit& audit);

/// The audit fields from an object's metadata: a whole Secret, or a
/// PartialObjectMetadata item of a metadata-only list. Errors name the field.
Result<RevisionAudit> ReadRevisionAudit(const nlohmann::json& object);

/// A JSON document as a Secret's data holds it gzip-compressed (the revision
/// payload, the revision index): base64 of the gzip of its text.
std::string GzipJsonData(const nlohmann::json& document);

/// The bytes data[key] of `secret` holds, as the API server counts a Secret's size.
size_t GzipDataBytes(const nlohmann::json& secret, std::string_view key);

/// The JSON document in data[key] of `secret` (GzipJsonData's form); what does
/// not parse comes back discarded, for the caller to refuse with its own words.
/// Errors name the Secret and the key.
Result<nlohmann::json> ReadGzipJsonData(const nlohmann::json& secret, std::string_view key);

/// The objects of a whole revision Secret (its payload, decompressed).
Result<std::vector<nlohmann::json>> ReadRevisionObjects(const nlohmann::json& secret);

/// Refuses, before anything is applied, a revision Secret the API server would
/// reject as too large, with its measured size: the payload over
/// kMaxSecretDataBytes, or the annotations over kMaxAnnotationBytes.
Status CheckRevisionSize(const nlohmann::json& secret);

}  // namespace llm
