// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/records.h"

#include "protocol/parser.h"

namespace procscope::capture {

protocol::Message KernelEventRecord::parse() const
{
    protocol::Message message;
    protocol::parseProcEvent(procEvent, seq, ack, 0, message);
    return message;
}

const char* lossReasonName(LossReason reason)
{
    switch (reason) {
    case LossReason::KernelOverrun:
        return "kernel-overrun";
    case LossReason::SequenceGap:
        return "sequence-gap";
    case LossReason::OutputBuffer:
        return "output-buffer";
    case LossReason::TruncatedDatagram:
        return "truncated-datagram";
    case LossReason::SpoofedSender:
        return "spoofed-sender";
    case LossReason::MalformedMessage:
        return "malformed-message";
    case LossReason::CostOverrun:
        return "cost-overrun";
    case LossReason::ExitWithoutCost:
        return "exit-without-cost";
    case LossReason::CostWithoutExit:
        return "cost-without-exit";
    case LossReason::ConnectionLost:
        return "connection-lost";
    }
    return "unknown";
}

const char* stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::Signal:
        return "signal";
    case StopReason::Duration:
        return "duration";
    case StopReason::PeerClosed:
        return "peer-closed";
    case StopReason::RuntimeError:
        return "runtime-error";
    }
    return "unknown";
}

} // namespace procscope::capture
