//! Every text of the user interface, in zh-CN and en, and the app-wide language context.
//!
//! Catalogue data carries its own bilingual `Text`; this module only holds the words of
//! the interface itself, so that a translator finds all of them in one file.

mod labels;

pub use labels::*;

use leptos::prelude::*;
use onewindow_api::{Lang, Text};

/// Declares the `Key` enum, its list of all keys and the lookup table in one place, so
/// that a key cannot exist without both of its texts.
macro_rules! keys {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A fixed text of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key { $($key,)* }

        impl Key {
            /// Every key, for the completeness test.
            #[cfg_attr(not(test), allow(dead_code))]
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];
        }

        /// The text of `key` in `lang`.
        pub fn t(lang: Lang, key: Key) -> &'static str {
            match (lang, key) {
                $((Lang::ZhCn, Key::$key) => $zh, (Lang::En, Key::$key) => $en,)*
            }
        }
    };
}

keys! {
    AppName => "一窗通办", "OneWindow";
    Tagline => "政务服务一网通办，最多跑一次", "Every public service in one place: at most one trip";
    Colon => "：", ": ";
    SkipToContent => "跳到主要内容", "Skip to main content";
    MainNav => "主导航", "Main navigation";
    NavHome => "首页", "Home";
    NavCatalogue => "事项目录", "Catalogue";
    SwitchTo => "English", "中文";
    SwitchLabel => "切换为英文界面", "Switch to Chinese";
    FooterNote => "演示城市：临江市 · 开源项目", "Demo city: Linjiang · open source";
    SearchLabel => "搜索办事事项", "Search for a service";
    SearchPlaceholder => "例如：护照、身份证、公积金", "e.g. passport, ID card, housing fund";
    SearchSubmit => "搜索", "Search";
    SearchTitle => "搜索结果", "Search results";
    SearchEmptyQuery => "请输入您要办理的事项，例如“护照”。", "Type what you want to do, for example “passport”.";
    SearchFuzzyNote => "没有完全匹配的事项。您是不是要找：", "No exact match. Did you mean:";
    SearchFuzzyBadge => "相近结果", "Similar";
    SearchNothing => "没有找到相关事项", "Nothing found";
    SearchNothingHint => "请换个说法，或试试拼音、简称；也可以按部门或主题浏览全部事项。", "Try other words, pinyin or a shorter term, or browse all services by department or theme.";
    BrowseCatalogue => "浏览全部事项", "Browse the catalogue";
    HomeIntro => "查办事指南、备齐材料、少跑腿。", "Find the service guide, get your papers ready, save the trip.";
    ThemesIndividual => "个人办事", "For individuals";
    ThemesBusiness => "企业办事", "For businesses";
    ThemesLifeEvent => "一件事一次办", "Life events";
    ByDepartment => "按部门查找", "By department";
    FullCatalogue => "查看全部事项目录", "See the full catalogue";
    CatalogueTitle => "事项目录", "Service catalogue";
    Filters => "筛选条件", "Filters";
    FilterDepartment => "部门", "Department";
    FilterTheme => "主题", "Theme";
    FilterAudience => "服务对象", "For";
    FilterLevel => "行使层级", "Level";
    FilterOnline => "只看可网上申请", "Online application only";
    FilterAll => "全部", "All";
    FilterReset => "清除筛选", "Clear filters";
    NoItems => "没有符合条件的事项。请放宽筛选条件。", "No services match these filters. Try fewer filters.";
    Pagination => "分页", "Pagination";
    PagePrev => "上一页", "Previous";
    PageNext => "下一页", "Next";
    AudienceIndividual => "个人", "Individuals";
    AudienceBusiness => "企业和组织", "Businesses and organisations";
    LevelNational => "国家级", "National";
    LevelProvincial => "省级", "Provincial";
    LevelCity => "市级", "City";
    LevelCounty => "县级", "County";
    LevelTownship => "乡镇级", "Township";
    LevelVillage => "村级", "Village";
    KindLicence => "行政许可", "Administrative licence";
    KindConfirmation => "行政确认", "Administrative confirmation";
    KindPayment => "行政给付", "Administrative payment";
    KindAdjudication => "行政裁决", "Administrative adjudication";
    KindReward => "行政奖励", "Administrative reward";
    KindPublicService => "公共服务", "Public service";
    KindOther => "其他行政权力", "Other administrative power";
    BadgeOnline => "可网上申请", "Apply online";
    BadgeAppointment => "可预约", "Appointments";
    BadgeCityWide => "全市通办", "Any hall in the city";
    BadgeInstant => "即办件", "Handled on the spot";
    BadgeFree => "免费", "Free";
    BadgePaid => "收费", "Fee applies";
    GuideBasic => "基本信息", "Basic information";
    ItemCode => "事项编码", "Item code";
    ItemKind => "事项类型", "Type";
    ItemLevel => "行使层级", "Level";
    ItemDepartment => "实施部门", "Department";
    ImplementingBody => "实施主体", "Implementing body";
    ItemAudience => "服务对象", "For";
    PromiseType => "办件类型", "Handling";
    PromiseInstant => "即办件（当场办结）", "Instant (handled on the spot)";
    PromisePromised => "承诺件", "Promised (within a time limit)";
    LegalLimit => "法定办结时限", "Legal time limit";
    PromisedLimit => "承诺办结时限", "Promised time limit";
    VisitsOnSite => "到现场次数", "Visits on site";
    OnlineServices => "网上服务", "Online services";
    Yes => "是", "Yes";
    No => "否", "No";
    ApplyOnline => "网上申请", "Apply online";
    BookAppointment => "预约办理", "Book an appointment";
    ComingSoon => "即将开放：网上申请和预约将在后续版本提供。", "Coming soon: online applications and appointments arrive in a later version.";
    HandlingCases => "办理情形", "Handling cases";
    ChooseCase => "请选择符合您情况的办理情形", "Choose the case that fits you";
    Conditions => "受理条件", "Acceptance conditions";
    Materials => "申请材料", "Required materials";
    MaterialsHint => "勾选已经准备好的材料，方便核对（只保存在本页）。", "Tick what you have ready (kept on this page only).";
    Required => "必须提交", "Required";
    Optional => "按情况提交", "If it applies";
    FormOriginal => "原件", "Original";
    FormCopy => "复印件", "Copy";
    FormOriginalAndCopy => "原件和复印件", "Original and copy";
    FormElectronic => "电子材料", "Electronic";
    Formats => "电子版格式", "Accepted formats";
    BlankForm => "空白表格", "Blank form";
    FilledSample => "填写样例", "Filled-in sample";
    WalletReuse => "可调用电子证照，无需重复上传", "Can be taken from your document wallet";
    Fees => "收费标准", "Fees";
    FeeFree => "本事项不收费。", "This service is free of charge.";
    FeeBasis => "收费依据", "Legal basis of the fee";
    Process => "办理流程", "Process";
    FlowChart => "办理流程图", "Flow chart of the process";
    OnTheSpot => "当场办结", "On the spot";
    ResultTitle => "办理结果", "Result";
    ResultName => "结果名称", "You receive";
    Delivery => "送达方式", "Delivery";
    DeliveryPickup => "窗口领取", "Pick up at the window";
    DeliveryMail => "快递送达", "By courier";
    DeliveryElectronic => "电子证照", "Electronic document";
    ResultSample => "结果样本", "Sample of the result";
    WhereToGo => "办理地点", "Where to go";
    Address => "地址", "Address";
    Hours => "办公时间", "Opening hours";
    Floor => "楼层", "Floor";
    Windows => "窗口", "Windows";
    Phone => "电话", "Phone";
    RightsDuties => "申请人权利和义务", "Your rights and duties";
    Rights => "权利", "Rights";
    Duties => "义务", "Duties";
    Channels => "咨询和投诉", "Questions and complaints";
    Consultation => "咨询途径", "Ask a question";
    Complaint => "监督投诉", "Complaints";
    ChannelPhone => "电话", "Phone";
    ChannelOnline => "网上", "Online";
    ChannelOnSite => "现场", "In person";
    ChannelEmail => "电子邮箱", "Email";
    ChannelMail => "信函", "Letter";
    LegalBasis => "设定依据", "Legal basis";
    Faq => "常见问题", "Frequently asked questions";
    ParentItem => "本事项是以下主项的子项：", "This is a sub-item of:";
    Contents => "本页目录", "On this page";
    Loading => "正在加载…", "Loading…";
    ErrorTitle => "出错了", "Something went wrong";
    ErrorNetwork => "无法连接服务器。请检查网络连接，稍后点击“重试”。", "The server cannot be reached. Check your connection, then press “Try again”.";
    ErrorNotFound => "没有找到这个事项，它可能已调整，或链接有误。请在目录中查找。", "This service was not found: it may have moved or the link is wrong. Look for it in the catalogue.";
    ErrorServer => "服务器暂时无法处理请求，请稍后重试。服务器提示：", "The server could not handle the request; please try again later. The server said:";
    ErrorUnexpected => "服务器的回答无法识别，请刷新页面；如果问题持续，请拨打咨询电话。", "The server's answer could not be read. Reload the page; if it keeps happening, call the help line.";
    Retry => "重试", "Try again";
    GoHome => "返回首页", "Back to the home page";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundText => "您访问的页面不存在。可以从首页搜索，或浏览事项目录。", "This page does not exist. Search from the home page or browse the catalogue.";
    Mon => "周一", "Mon";
    Tue => "周二", "Tue";
    Wed => "周三", "Wed";
    Thu => "周四", "Thu";
    Fri => "周五", "Fri";
    Sat => "周六", "Sat";
    Sun => "周日", "Sun";
}

/// "N services" after a list.
pub fn total_services(lang: Lang, n: u64) -> String {
    match lang {
        Lang::ZhCn => format!("共 {n} 个事项"),
        Lang::En if n == 1 => "1 service".to_owned(),
        Lang::En => format!("{n} services"),
    }
}

/// "Page X of Y".
pub fn page_of(lang: Lang, page: u32, pages: u32) -> String {
    match lang {
        Lang::ZhCn => format!("第 {page} 页，共 {pages} 页"),
        Lang::En => format!("Page {page} of {pages}"),
    }
}

/// The count line of a search.
pub fn search_count(lang: Lang, query: &str, n: u64) -> String {
    match lang {
        Lang::ZhCn => format!("“{query}”找到 {n} 个事项"),
        Lang::En if n == 1 => format!("1 service found for “{query}”"),
        Lang::En => format!("{n} services found for “{query}”"),
    }
}

/// A time limit or duration in working days (工作日).
pub fn working_days(lang: Lang, n: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 个工作日"),
        Lang::En if n == 1 => "1 working day".to_owned(),
        Lang::En => format!("{n} working days"),
    }
}

/// The badge of a promised item: "promised in N working days".
pub fn promised_in(lang: Lang, n: u32) -> String {
    match lang {
        Lang::ZhCn => format!("承诺 {n} 个工作日办结"),
        Lang::En if n == 1 => "Done in 1 working day".to_owned(),
        Lang::En => format!("Done in {n} working days"),
    }
}

/// Trips to the hall (到现场次数); zero is the goal of 最多跑一次.
pub fn visits(lang: Lang, n: u8) -> String {
    match (lang, n) {
        (Lang::ZhCn, 0) => "零跑动（无需到现场）".to_owned(),
        (Lang::ZhCn, n) => format!("最多跑 {n} 次"),
        (Lang::En, 0) => "No visit needed".to_owned(),
        (Lang::En, 1) => "At most 1 visit".to_owned(),
        (Lang::En, n) => format!("At most {n} visits"),
    }
}

/// Copies of a material (份数).
pub fn copies(lang: Lang, n: u8) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 份"),
        Lang::En if n == 1 => "1 copy".to_owned(),
        Lang::En => format!("{n} copies"),
    }
}

/// The size limit of one uploaded file.
pub fn max_size(lang: Lang, mb: u32) -> String {
    match lang {
        Lang::ZhCn => format!("每个文件不超过 {mb} MB"),
        Lang::En => format!("up to {mb} MB per file"),
    }
}

/// How many materials the user has ticked.
pub fn materials_ready(lang: Lang, ready: usize, total: usize) -> String {
    match lang {
        Lang::ZhCn => format!("已准备 {ready} / {total} 项"),
        Lang::En => format!("{ready} of {total} ready"),
    }
}

/// The item count of a theme or department.
pub fn item_count(lang: Lang, n: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 项"),
        Lang::En if n == 1 => "1 service".to_owned(),
        Lang::En => format!("{n} services"),
    }
}

/// An amount in fen (分) as yuan: `¥20.00`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}¥{}.{:02}", fen / 100, fen % 100)
}

/// The app-wide language, provided once by `App` and read by every component.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// A reactive text of the interface, for use directly in a view.
    pub fn t(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || t(self.0.get(), key)
    }

    /// A reactive catalogue text in the current language.
    pub fn text(self, text: &Text) -> impl Fn() -> String + Clone + Send + Sync + 'static {
        let text = text.clone();
        move || text.get(self.0.get()).to_owned()
    }
}

/// The language context; `App` provides it, so a missing one is a programming error.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages() {
        for key in Key::ALL {
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(
                    !t(lang, *key).trim().is_empty(),
                    "{key:?} is empty in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn formatted_texts_are_complete() {
        for lang in [Lang::ZhCn, Lang::En] {
            for s in [
                total_services(lang, 3),
                page_of(lang, 1, 2),
                search_count(lang, "护照", 2),
                working_days(lang, 5),
                promised_in(lang, 5),
                visits(lang, 0),
                visits(lang, 2),
                copies(lang, 1),
                max_size(lang, 5),
                materials_ready(lang, 1, 3),
                item_count(lang, 4),
            ] {
                assert!(!s.trim().is_empty());
            }
        }
    }

    #[test]
    fn yuan_from_fen() {
        assert_eq!(yuan(2000), "¥20.00");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(123_456), "¥1234.56");
        assert_eq!(yuan(-150), "-¥1.50");
    }
}
