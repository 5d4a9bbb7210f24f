//! The fields of a JSON record as an export writes them, before
//! normalising: what serde (`json`) and the narrow reader (`fast`) both
//! fill, so that they agree by construction on what a record holds.

use serde::Deserialize;

use super::loose::{LooseNum, LooseStr, LooseStrList, LooseText, LooseTime};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawProxy<'a> {
    #[serde(borrow)]
    pub(super) method: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) host: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) path: LooseStr<'a>,
    #[serde(borrow, rename = "userAgent")]
    pub(super) user_agent: LooseStrList<'a>,
    #[serde(rename = "statusCode")]
    pub(super) status_code: LooseNum,
    #[serde(borrow, rename = "clientIp")]
    pub(super) client_ip: LooseStr<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawLog<'a> {
    #[serde(borrow)]
    pub(super) level: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) message: LooseText<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawRecord<'a> {
    #[serde(borrow)]
    pub(super) id: LooseStr<'a>,
    #[serde(borrow, rename = "requestId")]
    pub(super) request_id: LooseStr<'a>,
    #[serde(borrow, rename = "deploymentId")]
    pub(super) deployment_id: LooseStr<'a>,
    #[serde(borrow, rename = "deploymentDomain")]
    pub(super) deployment_domain: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) host: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) domain: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) timestamp: LooseTime<'a>,
    #[serde(rename = "timestampInMs")]
    pub(super) timestamp_in_ms: LooseNum,
    #[serde(borrow, rename = "TimeUTC")]
    pub(super) time_utc: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) level: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) message: LooseText<'a>,
    #[serde(rename = "statusCode")]
    pub(super) status_code: LooseNum,
    #[serde(rename = "responseStatusCode")]
    pub(super) response_status_code: LooseNum,
    #[serde(borrow, rename = "requestPath")]
    pub(super) request_path: LooseStr<'a>,
    #[serde(borrow, rename = "requestMethod")]
    pub(super) request_method: LooseStr<'a>,
    #[serde(borrow, rename = "requestUserAgent")]
    pub(super) request_user_agent: LooseStrList<'a>,
    #[serde(borrow)]
    pub(super) path: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) function: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) environment: LooseStr<'a>,
    #[serde(borrow)]
    pub(super) source: LooseStr<'a>,
    #[serde(borrow, rename = "type")]
    pub(super) kind: LooseStr<'a>,
    #[serde(rename = "durationMs")]
    pub(super) duration_ms: LooseNum,
    #[serde(borrow)]
    pub(super) logs: Option<Vec<RawLog<'a>>>,
    #[serde(borrow)]
    pub(super) proxy: Option<RawProxy<'a>>,
    #[serde(borrow, rename = "rowId")]
    pub(super) row_id: LooseStr<'a>,
}
