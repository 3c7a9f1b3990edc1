//! The catalogue (事项目录): departments, service items with their complete guides
//! (办事指南), themes and life events, halls and windows. The same types are the wire
//! format of the API and the documented JSON import format (see docs/CATALOGUE_FORMAT.md).

use crate::ids::{DepartmentCode, HallCode, ItemCode, ThemeCode};
use crate::text::Text;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Administrative level that exercises an item (行使层级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    National,
    Provincial,
    City,
    County,
    Township,
    Village,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::National,
        Level::Provincial,
        Level::City,
        Level::County,
        Level::Township,
        Level::Village,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Provincial => "provincial",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
            Level::Village => "village",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// Who an item is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Natural persons (个人).
    Individual,
    /// Legal persons and other organisations (法人).
    Business,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Individual => "individual",
            Audience::Business => "business",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "individual" => Some(Audience::Individual),
            "business" => Some(Audience::Business),
            _ => None,
        }
    }
}

/// The legal type of an item (事项类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 行政许可
    AdministrativeLicence,
    /// 行政确认
    AdministrativeConfirmation,
    /// 行政给付
    AdministrativePayment,
    /// 行政裁决
    AdministrativeAdjudication,
    /// 行政奖励
    AdministrativeReward,
    /// 公共服务
    PublicService,
    /// 其他行政权力
    OtherAdministrativePower,
}

/// A department (部门) of the city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Department {
    pub code: DepartmentCode,
    pub name: Text,
    /// Public consultation phone number.
    pub phone: String,
    pub address: Text,
    /// Number of items in the catalogue; filled by the server, ignored on import.
    #[serde(default)]
    pub item_count: u32,
}

/// Whether a theme groups items for individuals, businesses or a life event (一件事).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThemeKind {
    Individual,
    Business,
    LifeEvent,
}

/// A theme (主题) or life event (一件事一次办) that groups items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Theme {
    pub code: ThemeCode,
    pub kind: ThemeKind,
    pub name: Text,
    pub description: Text,
    /// Name of an icon of the front-end's icon set.
    #[serde(default)]
    pub icon: String,
    /// Number of items in the theme; filled by the server, ignored on import.
    #[serde(default)]
    pub item_count: u32,
}

/// Opening hours of a hall for one weekday: several periods allow a lunch break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OpeningPeriod {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// Local time `HH:MM`.
    pub open: String,
    /// Local time `HH:MM`, after `open`.
    pub close: String,
}

/// A service window (窗口) of a hall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Window {
    /// Unique within its hall, e.g. `A05`.
    pub code: String,
    pub name: Text,
    pub floor: Text,
    /// Departments whose items this window handles.
    pub departments: Vec<DepartmentCode>,
}

/// A government service hall (政务服务中心 / 便民服务中心).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Hall {
    pub code: HallCode,
    pub name: Text,
    pub level: Level,
    pub address: Text,
    pub phone: String,
    /// IANA time zone of the hall, e.g. `Asia/Shanghai`.
    pub timezone: String,
    pub latitude: f64,
    pub longitude: f64,
    pub hours: Vec<OpeningPeriod>,
    pub windows: Vec<Window>,
    /// Free text shown under the hours, e.g. how public holidays are handled.
    #[serde(default)]
    pub notes: Text,
}

/// How a material is handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    /// 原件
    Original,
    /// 复印件
    Copy,
    /// 原件和复印件
    OriginalAndCopy,
    /// 电子材料 (uploaded only)
    Electronic,
}

/// File formats the pre-review accepts, by content (sniffed), not by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Pdf,
    Jpeg,
    Png,
    /// OFD, the Chinese fixed-layout document standard (GB/T 33190).
    Ofd,
}

/// A downloadable template: a blank form (表格下载) or a filled sample (样表).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Attachment {
    pub title: Text,
    /// Path or URL of the file.
    pub url: String,
}

/// One required material (申请材料): one slot of an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Material {
    /// Slot code, unique within the handling case, e.g. `id-card`.
    pub code: String,
    pub name: Text,
    pub form: MaterialForm,
    /// Number of copies (份数).
    pub count: u8,
    pub required: bool,
    /// Requirements: what the material must show, who issues it (来源渠道).
    pub requirements: Text,
    pub formats: Vec<FileFormat>,
    /// Upper size limit of one file, in megabytes.
    pub max_size_mb: u32,
    #[serde(default)]
    pub blank_form: Option<Attachment>,
    #[serde(default)]
    pub sample: Option<Attachment>,
    /// Kind of document in the wallet (电子证照) that can fill this slot, e.g. `resident_id_card`.
    #[serde(default)]
    pub wallet_kind: Option<String>,
}

/// The type of a form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Textarea,
    Number,
    Date,
    Select,
    Phone,
    Email,
    /// A resident ID number, validated with its check digit.
    IdNumber,
    /// A unified social credit code, validated with its check character.
    CreditCode,
}

/// One choice of a `select` field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldOption {
    pub value: String,
    pub label: Text,
}

/// One field of an item's online form; the form is data in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormField {
    pub key: String,
    pub label: Text,
    pub kind: FieldKind,
    pub required: bool,
    #[serde(default)]
    pub help: Option<Text>,
    #[serde(default)]
    pub options: Vec<FieldOption>,
    #[serde(default)]
    pub max_length: Option<u32>,
}

/// A handling case (业务办理项): the variant of an item that fits the applicant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HandlingCase {
    /// Unique within the item, e.g. `first-issue`.
    pub code: String,
    pub name: Text,
    /// Acceptance conditions (受理条件).
    pub conditions: Vec<Text>,
    pub materials: Vec<Material>,
}

/// One fee (收费项目).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Fee {
    pub name: Text,
    /// Amount in fen (1/100 yuan).
    pub amount_fen: i64,
    /// Legal basis of the fee (收费依据).
    pub basis: Text,
}

/// Fees (收费情况): free, or a list of fees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Fees {
    pub free: bool,
    #[serde(default)]
    pub items: Vec<Fee>,
}

/// Instant (即办件) or promised (承诺件) item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Promise {
    Instant,
    Promised,
}

/// Time limits in working days (法定时限 / 承诺时限).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TimeLimit {
    pub promise: Promise,
    pub legal_working_days: u32,
    /// 0 for instant items.
    pub promised_working_days: u32,
}

/// One step of the process (办事流程), drawn as the flow chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProcessStep {
    pub name: Text,
    /// Who acts, e.g. applicant, window, back office.
    pub actor: Text,
    pub description: Text,
    /// Working days this step may take; 0 for on the spot.
    pub working_days: u32,
}

/// How the result reaches the applicant. Named `DeliveryMethod` in the OpenAPI document,
/// where `Delivery` is a notification's delivery record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema), schema(as = DeliveryMethod))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 窗口领取
    WindowPickup,
    /// 快递送达
    Mail,
    /// 电子证照 / online
    Electronic,
}

/// The result (办理结果) of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResultInfo {
    pub name: Text,
    pub delivery: Vec<Delivery>,
    #[serde(default)]
    pub sample: Option<Attachment>,
}

/// Where the item is handled on site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Venue {
    pub hall: HallCode,
    pub floor: Text,
    /// Window codes of that hall.
    pub windows: Vec<String>,
}

/// How to reach the consultation (咨询) or complaint (监督投诉) channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    Phone,
    Online,
    OnSite,
    Email,
    Mail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Channel {
    pub kind: ChannelKind,
    /// Phone number, address or URL.
    pub value: String,
    pub note: Text,
}

/// A legal basis (设定依据).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LegalBasis {
    pub title: Text,
    pub article: Text,
}

/// A frequently asked question (常见问题).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Faq {
    pub question: Text,
    pub answer: Text,
}

/// Which online services an item offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OnlineService {
    /// Can be applied for online (网上申请).
    pub apply_online: bool,
    /// Appointments at a hall can be booked (网上预约).
    pub appointment: bool,
    /// Can be handled at any hall of the city (全市通办).
    pub city_wide: bool,
}

/// A service item (政务服务事项) with its complete service guide (办事指南).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ServiceItem {
    pub code: ItemCode,
    /// The main item of a sub-item (主项), if any.
    #[serde(default)]
    pub parent: Option<ItemCode>,
    pub name: Text,
    pub kind: ItemKind,
    pub level: Level,
    pub department: DepartmentCode,
    /// Implementing body (实施主体).
    pub implementing_body: Text,
    pub audiences: Vec<Audience>,
    #[serde(default)]
    pub themes: Vec<ThemeCode>,
    /// Extra search words, e.g. colloquial names.
    #[serde(default)]
    pub keywords: Vec<String>,
    pub summary: Text,
    pub online: OnlineService,
    pub legal_basis: Vec<LegalBasis>,
    pub cases: Vec<HandlingCase>,
    pub fees: Fees,
    pub time_limit: TimeLimit,
    pub process: Vec<ProcessStep>,
    /// Times the applicant must come on site (到现场次数).
    pub visits_on_site: u8,
    pub result: ResultInfo,
    pub rights: Vec<Text>,
    pub duties: Vec<Text>,
    pub consultation: Vec<Channel>,
    pub complaint: Vec<Channel>,
    pub venues: Vec<Venue>,
    pub faq: Vec<Faq>,
    /// The online form; empty when the item has no online application.
    #[serde(default)]
    pub form: Vec<FormField>,
}

/// A service item as listed in the catalogue: the fields a list needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ServiceSummary {
    pub code: ItemCode,
    pub name: Text,
    pub kind: ItemKind,
    pub level: Level,
    pub department: DepartmentCode,
    pub department_name: Text,
    pub audiences: Vec<Audience>,
    pub summary: Text,
    pub online: OnlineService,
    pub promise: Promise,
    pub promised_working_days: u32,
    pub visits_on_site: u8,
    pub free: bool,
}

impl ServiceItem {
    /// The list view of this item.
    pub fn summary_with(&self, department_name: Text) -> ServiceSummary {
        ServiceSummary {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind,
            level: self.level,
            department: self.department.clone(),
            department_name,
            audiences: self.audiences.clone(),
            summary: self.summary.clone(),
            online: self.online.clone(),
            promise: self.time_limit.promise,
            promised_working_days: self.time_limit.promised_working_days,
            visits_on_site: self.visits_on_site,
            free: self.fees.free,
        }
    }
}

/// The documented JSON import format of `onewindow-server import` and of the demo data.
/// Every part is optional so that a file may carry only items, or only halls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CatalogueDocument {
    #[serde(default)]
    pub departments: Vec<Department>,
    #[serde(default)]
    pub themes: Vec<Theme>,
    #[serde(default)]
    pub halls: Vec<Hall>,
    #[serde(default)]
    pub items: Vec<ServiceItem>,
}
