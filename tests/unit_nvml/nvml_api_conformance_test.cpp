// Checks gpu_check/nvml_api.h against NVIDIA's nvml.h: every constant, the
// event record's layout and every function's signature. Compiled only where
// nvml.h is found (tests/CMakeLists.txt); a mismatch fails the build.
#include <cstddef>
#include <type_traits>

// The health check calls nvmlDeviceGetTemperature and
// nvmlDeviceGetCurrentClocksThrottleReasons' successor on purpose: every
// driver from R450 on exports them; the header only marks them deprecated.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// Comparing our enumerators with nvml.h's is the point of this file.
#pragma GCC diagnostic ignored "-Wenum-compare"
#include <nvml.h>

#include <doctest/doctest.h>

#include "nvml_api.h"

namespace {

namespace ours = llm::gpu_check::nvml;

/// Enums become their underlying type and pointers to enums pointers to it,
/// so nvml.h's C enums and our fixed-type enums compare as the ABI sees them.
template <typename T, typename = void>
struct Abi {
  using type = T;
};
template <typename T>
struct Abi<T, std::enable_if_t<std::is_enum_v<T>>> {
  using type = std::underlying_type_t<T>;
};
// Our event record stands for nvml.h's; its layout is checked below.
template <>
struct Abi<ours::EventData, void> {
  using type = nvmlEventData_t;
};
template <typename T>
struct Abi<T*, void> {
  using type =
      std::conditional_t<std::is_const_v<T>, const typename Abi<std::remove_const_t<T>>::type, typename Abi<T>::type>*;
};
template <typename R, typename... A>
struct Abi<R (*)(A...), void> {
  using type = typename Abi<R>::type (*)(typename Abi<A>::type...);
};
template <typename A, typename B>
inline constexpr bool kSameAbi = std::is_same_v<typename Abi<A>::type, typename Abi<B>::type>;

#define CHECK_FN(ours_type, symbol) \
  static_assert(kSameAbi<ours::ours_type, decltype(&::symbol)>, #symbol " does not match nvml_api.h")

CHECK_FN(InitFn, nvmlInit_v2);
CHECK_FN(ShutdownFn, nvmlShutdown);
CHECK_FN(ErrorStringFn, nvmlErrorString);
CHECK_FN(SystemGetDriverVersionFn, nvmlSystemGetDriverVersion);
CHECK_FN(SystemGetCudaDriverVersionFn, nvmlSystemGetCudaDriverVersion_v2);
CHECK_FN(DeviceGetHandleByUuidFn, nvmlDeviceGetHandleByUUID);
CHECK_FN(DeviceGetEnableStateFn, nvmlDeviceGetPersistenceMode);
CHECK_FN(DeviceGetEnableStateFn, nvmlDeviceGetRetiredPagesPendingStatus);
CHECK_FN(DeviceGetMigModeFn, nvmlDeviceGetMigMode);
CHECK_FN(DeviceGetEccModeFn, nvmlDeviceGetEccMode);
CHECK_FN(DeviceGetTotalEccErrorsFn, nvmlDeviceGetTotalEccErrors);
CHECK_FN(DeviceGetRetiredPagesFn, nvmlDeviceGetRetiredPages);
CHECK_FN(DeviceGetRemappedRowsFn, nvmlDeviceGetRemappedRows);
CHECK_FN(DeviceGetUintFn, nvmlDeviceGetCurrPcieLinkGeneration);
CHECK_FN(DeviceGetUintFn, nvmlDeviceGetCurrPcieLinkWidth);
CHECK_FN(DeviceGetUintFn, nvmlDeviceGetMaxPcieLinkGeneration);
CHECK_FN(DeviceGetUintFn, nvmlDeviceGetMaxPcieLinkWidth);
CHECK_FN(DeviceGetUintFn, nvmlDeviceGetPcieReplayCounter);
CHECK_FN(DeviceGetUintFn, nvmlDeviceGetPowerUsage);
CHECK_FN(DeviceGetUintFn, nvmlDeviceGetEnforcedPowerLimit);
CHECK_FN(DeviceGetUintFn, nvmlDeviceGetPowerManagementDefaultLimit);
CHECK_FN(DeviceGetNvLinkStateFn, nvmlDeviceGetNvLinkState);
CHECK_FN(DeviceGetNvLinkErrorCounterFn, nvmlDeviceGetNvLinkErrorCounter);
CHECK_FN(DeviceGetClocksEventReasonsFn, nvmlDeviceGetCurrentClocksEventReasons);
CHECK_FN(DeviceGetClocksEventReasonsFn, nvmlDeviceGetCurrentClocksThrottleReasons);
CHECK_FN(DeviceGetTemperatureFn, nvmlDeviceGetTemperature);
CHECK_FN(DeviceGetTemperatureThresholdFn, nvmlDeviceGetTemperatureThreshold);
CHECK_FN(EventSetCreateFn, nvmlEventSetCreate);
CHECK_FN(DeviceRegisterEventsFn, nvmlDeviceRegisterEvents);
CHECK_FN(EventSetWaitFn, nvmlEventSetWait_v2);
CHECK_FN(EventSetFreeFn, nvmlEventSetFree);

static_assert(std::is_same_v<ours::Device, nvmlDevice_t>);
static_assert(std::is_same_v<ours::EventSet, nvmlEventSet_t>);
static_assert(std::is_same_v<std::underlying_type_t<nvmlReturn_t>, std::underlying_type_t<ours::Return>>);

static_assert(ours::kSuccess == NVML_SUCCESS);
static_assert(ours::kErrorUninitialized == NVML_ERROR_UNINITIALIZED);
static_assert(ours::kErrorInvalidArgument == NVML_ERROR_INVALID_ARGUMENT);
static_assert(ours::kErrorNotSupported == NVML_ERROR_NOT_SUPPORTED);
static_assert(ours::kErrorNoPermission == NVML_ERROR_NO_PERMISSION);
static_assert(ours::kErrorNotFound == NVML_ERROR_NOT_FOUND);
static_assert(ours::kErrorInsufficientSize == NVML_ERROR_INSUFFICIENT_SIZE);
static_assert(ours::kErrorDriverNotLoaded == NVML_ERROR_DRIVER_NOT_LOADED);
static_assert(ours::kErrorTimeout == NVML_ERROR_TIMEOUT);
static_assert(ours::kErrorLibraryNotFound == NVML_ERROR_LIBRARY_NOT_FOUND);
static_assert(ours::kErrorFunctionNotFound == NVML_ERROR_FUNCTION_NOT_FOUND);
static_assert(ours::kErrorGpuIsLost == NVML_ERROR_GPU_IS_LOST);
static_assert(ours::kErrorResetRequired == NVML_ERROR_RESET_REQUIRED);
static_assert(ours::kErrorLibRmVersionMismatch == NVML_ERROR_LIB_RM_VERSION_MISMATCH);
static_assert(ours::kErrorNoData == NVML_ERROR_NO_DATA);
static_assert(ours::kErrorUnknown == NVML_ERROR_UNKNOWN);
static_assert(ours::kFeatureDisabled == NVML_FEATURE_DISABLED && ours::kFeatureEnabled == NVML_FEATURE_ENABLED);
static_assert(ours::kMemoryErrorCorrected == NVML_MEMORY_ERROR_TYPE_CORRECTED);
static_assert(ours::kMemoryErrorUncorrected == NVML_MEMORY_ERROR_TYPE_UNCORRECTED);
static_assert(ours::kVolatileEcc == NVML_VOLATILE_ECC && ours::kAggregateEcc == NVML_AGGREGATE_ECC);
static_assert(ours::kRetiredMultipleSingleBit == NVML_PAGE_RETIREMENT_CAUSE_MULTIPLE_SINGLE_BIT_ECC_ERRORS);
static_assert(ours::kRetiredDoubleBit == NVML_PAGE_RETIREMENT_CAUSE_DOUBLE_BIT_ECC_ERROR);
static_assert(ours::kTemperatureGpu == NVML_TEMPERATURE_GPU);
static_assert(ours::kThresholdShutdown == NVML_TEMPERATURE_THRESHOLD_SHUTDOWN);
static_assert(ours::kThresholdSlowdown == NVML_TEMPERATURE_THRESHOLD_SLOWDOWN);
static_assert(ours::kThresholdMemMax == NVML_TEMPERATURE_THRESHOLD_MEM_MAX);
static_assert(ours::kThresholdGpuMax == NVML_TEMPERATURE_THRESHOLD_GPU_MAX);
static_assert(ours::kNvLinkReplay == NVML_NVLINK_ERROR_DL_REPLAY);
static_assert(ours::kNvLinkRecovery == NVML_NVLINK_ERROR_DL_RECOVERY);
static_assert(ours::kNvLinkCrcFlit == NVML_NVLINK_ERROR_DL_CRC_FLIT);
static_assert(ours::kNvLinkCrcData == NVML_NVLINK_ERROR_DL_CRC_DATA);
static_assert(ours::kMaxNvLinks == NVML_NVLINK_MAX_LINKS);
static_assert(ours::kMigEnable == NVML_DEVICE_MIG_ENABLE);
static_assert(ours::kDriverVersionBufferSize == NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE);
static_assert(ours::kEventTypeXidCriticalError == static_cast<unsigned long long>(nvmlEventTypeXidCriticalError));
static_assert(ours::kClocksEventGpuIdle == static_cast<unsigned long long>(nvmlClocksEventReasonGpuIdle));
static_assert(ours::kClocksEventApplicationsClocksSetting ==
              static_cast<unsigned long long>(nvmlClocksEventReasonApplicationsClocksSetting));
static_assert(ours::kClocksEventSwPowerCap == static_cast<unsigned long long>(nvmlClocksEventReasonSwPowerCap));
static_assert(ours::kClocksEventHwSlowdown == static_cast<unsigned long long>(nvmlClocksThrottleReasonHwSlowdown));
static_assert(ours::kClocksEventSyncBoost == static_cast<unsigned long long>(nvmlClocksEventReasonSyncBoost));
static_assert(ours::kClocksEventSwThermalSlowdown ==
              static_cast<unsigned long long>(nvmlClocksEventReasonSwThermalSlowdown));
static_assert(ours::kClocksEventHwThermalSlowdown ==
              static_cast<unsigned long long>(nvmlClocksThrottleReasonHwThermalSlowdown));
static_assert(ours::kClocksEventHwPowerBrakeSlowdown ==
              static_cast<unsigned long long>(nvmlClocksThrottleReasonHwPowerBrakeSlowdown));
static_assert(ours::kClocksEventDisplayClockSetting ==
              static_cast<unsigned long long>(nvmlClocksEventReasonDisplayClockSetting));

static_assert(sizeof(ours::EventData) == sizeof(nvmlEventData_t));
static_assert(offsetof(ours::EventData, device) == offsetof(nvmlEventData_t, device));
static_assert(offsetof(ours::EventData, eventType) == offsetof(nvmlEventData_t, eventType));
static_assert(offsetof(ours::EventData, eventData) == offsetof(nvmlEventData_t, eventData));
static_assert(offsetof(ours::EventData, gpuInstanceId) == offsetof(nvmlEventData_t, gpuInstanceId));
static_assert(offsetof(ours::EventData, computeInstanceId) == offsetof(nvmlEventData_t, computeInstanceId));

}  // namespace

TEST_CASE("nvml_api.h: NVML API version 13, the one its declarations were checked against") {
  CHECK(NVML_API_VERSION == 13);
}
#pragma GCC diagnostic pop
