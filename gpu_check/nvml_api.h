// The part of NVML's C API that the health check uses, declared here rather
// than taken from nvml.h, pinned to NVML API version 13 (nvml.h of the
// nvidia-nvml-dev 13.0.87 wheel, the one scripts/install-cuda.sh installs).
//
// Why our own declarations: the health check reaches NVML only through
// dlopen("libnvidia-ml.so.1"), the driver's library, so nothing links against
// it, and the host library (where the reader and its tests live) builds with
// no CUDA header at all, as it always has. NVML's ABI is stable: a symbol's
// signature never changes, a changed one gets a new name (nvmlInit_v2,
// nvmlEventSetWait_v2). Where the real header is present (every
// scripts/test.sh run), tests/unit/gpu_check/nvml_api_conformance_test.cpp
// checks each declaration below against it, so a typo here fails the build.
//
// The fake NVML library the tests build (tests/fakes/fake_nvml.cpp) defines
// these same symbols from these declarations.
#pragma once

// Opaque handles, with NVML's own tag names so the types are the same ones
// nvml.h declares when both headers are in one translation unit.
struct nvmlDevice_st;
struct nvmlEventSet_st;

namespace llm::gpu_check::nvml {

using Device = nvmlDevice_st*;
using EventSet = nvmlEventSet_st*;

/// nvmlReturn_t. GCC and Clang give a C enum of non-negative values the
/// underlying type unsigned int; this one is fixed to it.
enum Return : unsigned int {
  kSuccess = 0,
  kErrorUninitialized = 1,
  kErrorInvalidArgument = 2,
  kErrorNotSupported = 3,
  kErrorNoPermission = 4,
  kErrorNotFound = 6,
  kErrorInsufficientSize = 7,
  kErrorDriverNotLoaded = 9,
  kErrorTimeout = 10,
  kErrorLibraryNotFound = 12,
  kErrorFunctionNotFound = 13,
  kErrorGpuIsLost = 15,
  kErrorResetRequired = 16,
  kErrorLibRmVersionMismatch = 18,
  kErrorNoData = 21,
  kErrorUnknown = 999,
};

/// nvmlEnableState_t.
enum EnableState : unsigned int { kFeatureDisabled = 0, kFeatureEnabled = 1 };

/// nvmlMemoryErrorType_t.
enum MemoryErrorType : unsigned int { kMemoryErrorCorrected = 0, kMemoryErrorUncorrected = 1 };

/// nvmlEccCounterType_t.
enum EccCounterType : unsigned int { kVolatileEcc = 0, kAggregateEcc = 1 };

/// nvmlPageRetirementCause_t.
enum PageRetirementCause : unsigned int {
  kRetiredMultipleSingleBit = 0,
  kRetiredDoubleBit = 1,
};

/// nvmlTemperatureSensors_t.
enum TemperatureSensor : unsigned int { kTemperatureGpu = 0 };

/// nvmlTemperatureThresholds_t.
enum TemperatureThreshold : unsigned int {
  kThresholdShutdown = 0,
  kThresholdSlowdown = 1,
  kThresholdMemMax = 2,
  kThresholdGpuMax = 3,
};

/// nvmlNvLinkErrorCounter_t.
enum NvLinkErrorCounter : unsigned int {
  kNvLinkReplay = 0,
  kNvLinkRecovery = 1,
  kNvLinkCrcFlit = 2,
  kNvLinkCrcData = 3,
};

/// NVML_NVLINK_MAX_LINKS: links are numbered 0..17 (Hopper has 18).
inline constexpr unsigned int kMaxNvLinks = 18;
/// NVML_DEVICE_MIG_ENABLE.
inline constexpr unsigned int kMigEnable = 1;
/// NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE.
inline constexpr unsigned int kDriverVersionBufferSize = 80;
/// nvmlEventTypeXidCriticalError.
inline constexpr unsigned long long kEventTypeXidCriticalError = 0x8ULL;

/// nvmlClocksEventReason* bits (nvmlClocksThrottleReason* in older headers).
inline constexpr unsigned long long kClocksEventGpuIdle = 0x1ULL;
inline constexpr unsigned long long kClocksEventApplicationsClocksSetting = 0x2ULL;
inline constexpr unsigned long long kClocksEventSwPowerCap = 0x4ULL;
inline constexpr unsigned long long kClocksEventHwSlowdown = 0x8ULL;
inline constexpr unsigned long long kClocksEventSyncBoost = 0x10ULL;
inline constexpr unsigned long long kClocksEventSwThermalSlowdown = 0x20ULL;
inline constexpr unsigned long long kClocksEventHwThermalSlowdown = 0x40ULL;
inline constexpr unsigned long long kClocksEventHwPowerBrakeSlowdown = 0x80ULL;
inline constexpr unsigned long long kClocksEventDisplayClockSetting = 0x100ULL;

/// nvmlEventData_t (the layout nvmlEventSetWait_v2 fills).
struct EventData {
  Device device;
  unsigned long long eventType;
  unsigned long long eventData;  ///< the XID for kEventTypeXidCriticalError (999: unknown)
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
};

// The functions, as pointer types; the symbol each is looked up by is in
// nvml_library.cpp's table.
using InitFn = Return (*)();                                                  // nvmlInit_v2
using ShutdownFn = Return (*)();                                              // nvmlShutdown
using ErrorStringFn = const char* (*)(Return);                                // nvmlErrorString
using SystemGetDriverVersionFn = Return (*)(char*, unsigned int);             // nvmlSystemGetDriverVersion
using SystemGetCudaDriverVersionFn = Return (*)(int*);                        // nvmlSystemGetCudaDriverVersion_v2
using DeviceGetHandleByUuidFn = Return (*)(const char*, Device*);             // nvmlDeviceGetHandleByUUID
using DeviceGetEnableStateFn = Return (*)(Device, EnableState*);              // Persistence, RetiredPagesPending
using DeviceGetMigModeFn = Return (*)(Device, unsigned int*, unsigned int*);  // nvmlDeviceGetMigMode
using DeviceGetEccModeFn = Return (*)(Device, EnableState*, EnableState*);    // nvmlDeviceGetEccMode
using DeviceGetTotalEccErrorsFn = Return (*)(Device, MemoryErrorType, EccCounterType, unsigned long long*);
using DeviceGetRetiredPagesFn = Return (*)(Device, PageRetirementCause, unsigned int*, unsigned long long*);
using DeviceGetRemappedRowsFn = Return (*)(Device, unsigned int*, unsigned int*, unsigned int*, unsigned int*);
using DeviceGetUintFn = Return (*)(Device, unsigned int*);                      // PCIe gen/width, replays, power
using DeviceGetNvLinkStateFn = Return (*)(Device, unsigned int, EnableState*);  // nvmlDeviceGetNvLinkState
using DeviceGetNvLinkErrorCounterFn = Return (*)(Device, unsigned int, NvLinkErrorCounter, unsigned long long*);
using DeviceGetClocksEventReasonsFn = Return (*)(Device, unsigned long long*);  // ...ClocksEventReasons
using DeviceGetTemperatureFn = Return (*)(Device, TemperatureSensor, unsigned int*);
using DeviceGetTemperatureThresholdFn = Return (*)(Device, TemperatureThreshold, unsigned int*);
using EventSetCreateFn = Return (*)(EventSet*);                                   // nvmlEventSetCreate
using DeviceRegisterEventsFn = Return (*)(Device, unsigned long long, EventSet);  // nvmlDeviceRegisterEvents
using EventSetWaitFn = Return (*)(EventSet, EventData*, unsigned int);            // nvmlEventSetWait_v2
using EventSetFreeFn = Return (*)(EventSet);                                      // nvmlEventSetFree

}  // namespace llm::gpu_check::nvml
