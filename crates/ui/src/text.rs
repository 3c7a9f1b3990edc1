//! Every text of the user interface, in zh-CN and en: the keys and their texts, the
//! labels of the contract's values, and formatted figures. Pure and wasm-clean: the web
//! front-end shows them, and the server's pre-rendered public pages use the same words.
//!
//! Catalogue data carries its own bilingual `Text`; this module only holds the words of
//! the interface itself, so that a translator finds all of them in one place.

mod figures;
mod guide;
mod labels;

pub use figures::*;
pub use guide::*;
pub use labels::*;

use onewindow_api::Lang;

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
    FilterApply => "筛选", "Apply filters";
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
    ApplyOnline => "在线办理", "Apply online";
    BookAppointment => "预约办理", "Book an appointment";
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
    ErrorNotFound => "没有找到要查看的内容：它可能已调整或删除、链接有误，或您无权查看。服务器提示：", "This was not found: it may have moved or been removed, the link may be wrong, or it is not yours to see. The server said:";
    ErrorInput => "请检查填写的内容。服务器提示：", "Check what was filled in. The server said:";
    ErrorSignIn => "登录已失效，请重新登录。", "Your session has ended; sign in again.";
    ErrorForbidden => "您的账号不能进行此操作。服务器提示：", "Your account may not do this. The server said:";
    ErrorChanged => "此操作与当前状态不符，可能已有变化，请刷新页面后再试。服务器提示：", "This does not fit the current state, which may have changed; reload the page and try again. The server said:";
    ErrorPreReview => "自动预审发现问题，请按一次性告知逐项修改。", "The automatic pre-review found problems; fix each one the notice lists.";
    ErrorTooMany => "操作太频繁，请稍后再试。", "Too many attempts; please wait a moment and try again.";
    ErrorFileTooLarge => "文件太大。服务器提示：", "The file is too large. The server said:";
    ErrorFileType => "不接受这种文件格式。服务器提示：", "This kind of file is not accepted. The server said:";
    ErrorServer => "服务器暂时无法处理请求，请稍后重试。服务器提示：", "The server could not handle the request; please try again later. The server said:";
    ErrorUnexpected => "服务器的回答无法识别，请刷新页面；如果问题持续，请拨打咨询电话。", "The server's answer could not be read. Reload the page; if it keeps happening, call the help line.";
    Retry => "重试", "Try again";
    GoHome => "返回首页", "Back to the home page";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundText => "您访问的页面不存在。可以从首页搜索，或浏览事项目录。", "This page does not exist. Search from the home page or browse the catalogue.";
    NavLogin => "登录", "Sign in";
    NavRegister => "注册", "Register";
    NavLogout => "退出登录", "Sign out";
    NavStaff => "工作台", "Staff console";
    NavLookup => "进度查询", "Track progress";
    SignedInAs => "已登录", "Signed in";
    RoleStaff => "工作人员", "Staff";
    LoginTitle => "登录", "Sign in";
    LoginId => "手机号码或身份证号码", "Mobile number or ID number";
    Password => "密码", "Password";
    LoginSubmit => "登录", "Sign in";
    LoginFailed => "手机号码、身份证号码或密码不正确。", "The number or the password is not right.";
    LoginNeeded => "请先登录，登录后会回到刚才的页面。", "Please sign in first; you will come back to the page you wanted.";
    NoAccountYet => "还没有账号？", "No account yet?";
    RegisterNow => "立即注册", "Register now";
    HaveAccount => "已有账号？", "Already registered?";
    RegisterTitle => "注册账号", "Create an account";
    IdNumber => "居民身份证号码", "Resident ID number";
    FullName => "姓名", "Full name";
    MobilePhone => "手机号码", "Mobile number";
    PasswordHint => "8–128 位，至少包含一个字母和一个数字。", "8 to 128 characters, with at least one letter and one digit.";
    AsBusiness => "我代表企业办事（企业成员）", "I act for a company (business member)";
    CreditCode => "统一社会信用代码", "Unified social credit code";
    CompanyName => "企业名称", "Company name";
    RegisterSubmit => "注册并登录", "Register and sign in";
    FixMarked => "请修改标出的内容后再提交。", "Correct the marked fields, then try again.";
    ErrIdNumber => "身份证号码无效：请核对18位号码、出生日期和最后一位校验码。", "This ID number is not valid: check the 18 characters, the birth date and the last character.";
    ErrName => "请填写姓名（最多64个字）。", "Fill in the name (at most 64 characters).";
    ErrPhone => "应为11位手机号码。", "Use an 11-digit mobile number.";
    ErrPassword => "密码需8–128位，且同时包含字母和数字。", "The password needs 8 to 128 characters with a letter and a digit.";
    ErrCreditCode => "统一社会信用代码无效：请核对18位代码。", "This credit code is not valid: check its 18 characters.";
    ErrCompanyName => "请填写企业名称（最多64个字）。", "Fill in the company name (at most 64 characters).";
    ErrConflict => "这个身份证号码或手机号码已经注册，请直接登录。", "This ID number or mobile number is already registered; sign in instead.";
    ApplyTitle => "在线办理", "Apply online";
    ApplyStart => "开始填写申请", "Start the application";
    ApplyPrefill => "表格中的姓名、身份证号码和手机号码会从您的账号预先填好。申请会自动保存为草稿。", "Your name, ID number and mobile number are filled in from your account. The application is saved as a draft as you go.";
    ApplyNotOnline => "本事项暂不支持网上申请，请按办事指南到窗口办理。", "This service cannot be applied for online; see the guide for where to go.";
    BackToGuide => "返回办事指南", "Back to the guide";
    DraftHeading => "填写申请", "Your application";
    FormSection => "申请表", "Application form";
    UploadSection => "上传材料", "Upload materials";
    RequiredMark => "必填", "required";
    ChooseOption => "请选择", "Choose…";
    SaveIdle => "修改会自动保存", "Changes are saved automatically";
    SaveSaving => "正在保存…", "Saving…";
    SaveSaved => "已保存", "All changes saved";
    SaveFailed => "保存失败，请重试：", "Not saved; try again:";
    SaveNow => "立即保存", "Save now";
    ChooseFiles => "选择文件", "Choose files";
    SeveralFiles => "可以上传多个文件。", "You can add several files.";
    Uploading => "正在上传", "Uploading";
    Uploaded => "已上传", "Uploaded";
    UploadFailed => "上传失败", "Upload failed";
    RetryUpload => "重新上传", "Try again";
    Dismiss => "关闭", "Dismiss";
    RemoveFile => "删除", "Remove";
    ViewFile => "查看", "View";
    NothingUploaded => "尚未上传文件。", "No file uploaded yet.";
    UnreadableFile => "无法读取这个文件，请重新选择。", "This file cannot be read; choose it again.";
    EmptyFile => "这个文件是空的，请重新选择。", "This file is empty; choose another.";
    NoticeTitle => "一次性告知", "One-time notice";
    NoticeIntro => "提交前请处理以下全部问题：", "Fix all of these before you submit:";
    NoticeClear => "预审通过：表格和材料已齐全，可以提交。", "Pre-review passed: the form and the materials are complete. You can submit.";
    SourceAutomatic => "自动预审", "Automatic check";
    SourceStaff => "工作人员", "Staff";
    GoFix => "去修改", "Fix this";
    WholeApplication => "整个申请", "The application";
    Submit => "提交申请", "Submit the application";
    Submitting => "正在提交…", "Submitting…";
    SubmitBlocked => "还有问题没有处理，请按一次性告知修改后再提交。", "Some problems remain; fix everything the notice lists, then submit.";
    DeleteDraft => "删除草稿", "Delete the draft";
    ConfirmDelete => "确定删除这份草稿吗？已上传的材料也会一并删除。", "Delete this draft? Its uploaded files are deleted too.";
    ConfirmDeleteYes => "确定删除", "Yes, delete it";
    Cancel => "取消", "Cancel";
    StateDraft => "草稿", "Draft";
    StateSubmitted => "已提交，待预审", "Submitted, awaiting pre-review";
    StateCorrection => "待补正", "Correction needed";
    StateAccepted => "已受理", "Accepted";
    StateUnderReview => "审查中", "Under review";
    StateSuspended => "特别程序中", "Special procedure";
    StateApproved => "准予许可", "Approved";
    StateRejected => "不予许可", "Rejected";
    StateNotAccepted => "不予受理", "Not accepted";
    StateResultReady => "待取件", "Ready for pickup";
    StateMailed => "已寄出", "Sent by courier";
    StateCompleted => "已办结", "Completed";
    StateWithdrawn => "已撤回", "Withdrawn";
    NextDraft => "填写表格、上传材料，一次性告知中没有问题后即可提交。", "Fill in the form and upload the materials; submit once the notice lists no problem.";
    NextSubmitted => "工作人员正在预审材料。需要补正时，会把所有问题一次性告知您。无需到现场。", "Staff are checking your materials. If anything must be corrected, you are told everything at once. No visit is needed.";
    NextCorrection => "请按补正通知只修改标出的内容，然后重新提交。补正期间办理时限暂停计算。", "Fix only what the correction notice marks, then submit again. The time limit is paused meanwhile.";
    NextAccepted => "申请已受理，正在按承诺时限办理。可凭受理编号随时查询进度。", "Your application is accepted and runs within the promised time limit. Track it any time with the application number.";
    NextUnderReview => "正在审查，作出决定后会在这里显示结果。", "It is under review; the decision will show here.";
    NextSuspended => "办件处于特别程序（如专家评审、听证、检验检测、现场勘验），所需时间不计入办理时限；结束后继续审查，期限相应顺延。", "The case is in a special procedure (such as an expert review, a hearing, testing or an on-site inspection), whose time does not count toward the time limit; the review then goes on and the deadline moves out accordingly.";
    NextApproved => "已准予许可，结果正在准备送达。", "Approved: the result is being prepared for delivery.";
    NextRejected => "申请未获准许，理由见办理记录。如有异议，可以依法申请行政复议或者提起行政诉讼。", "The application was rejected; the reason is in the history. You may ask for an administrative reconsideration or go to court.";
    NextNotAccepted => "申请未被受理，理由见办理记录。满足条件后可以重新申请。", "The application was not accepted; the reason is in the history. You can apply again once you meet the conditions.";
    NextResultReady => "请携带身份证件和取件码，到下面的窗口领取结果。", "Bring your ID card and the pickup code to the window below to collect the result.";
    NextMailed => "结果已通过快递寄出，可凭快递单号查询物流。", "The result was sent by courier; track it with the tracking number.";
    NextCompleted => "本件已办结。", "This case is completed.";
    NextWithdrawn => "本申请已撤回。", "This application was withdrawn.";
    NextSteps => "下一步", "What happens next";
    ApplicationNumber => "受理编号", "Application number";
    NumberPending => "受理后生成", "Given at acceptance";
    Applicant => "申请人", "Applicant";
    Company => "企业", "Company";
    CaseName => "办理情形", "Handling case";
    History => "办理记录", "History";
    DeadlineTitle => "办理时限", "Time limit";
    DueDate => "应办结日期", "Due by";
    CorrectionDueTitle => "补正期限", "Correction due by";
    CorrectionDueHint => "请在此日期前按补正通知修改并重新提交；逾期未补正的，部门可以作出不予受理或不予许可的决定。", "Fix what the correction notice names and submit again by this date; past it, the department may refuse the application.";
    CorrectionOverdue => "已逾期", "Overdue";
    DaysLeft => "剩余工作日", "Working days left";
    LegalDueDate => "法定办结期限", "Legal deadline";
    PastLegalLimit => "已超过法定时限", "Past the legal time limit";
    LightGreen => "正常", "On time";
    LightYellow => "即将到期", "Due soon";
    LightRed => "已超期", "Overdue";
    LightPaused => "时限暂停计算", "Clock stopped";
    SubmittedFiles => "材料", "Materials";
    FormValuesTitle => "申请表内容", "Form";
    DeliveryTitle => "结果送达", "Result delivery";
    PickupCode => "取件码", "Pickup code";
    PickupWindow => "领取窗口", "Window";
    Courier => "快递公司", "Courier";
    TrackingNumber => "快递单号", "Tracking number";
    CorrectionTitle => "补正通知", "Correction notice";
    CorrectionIntro => "工作人员一次性告知了以下需要补正的内容。只修改这些内容，然后重新提交。", "Staff listed everything to correct. Change only these, then submit again.";
    NotFlagged => "无需修改", "No change needed";
    Resubmit => "重新提交", "Submit again";
    Withdraw => "撤回申请", "Withdraw the application";
    WithdrawReason => "撤回原因", "Why you withdraw";
    WithdrawHint => "作出决定前可以撤回，撤回后本件终止。", "You can withdraw until a decision is made; the case then ends.";
    WithdrawConfirm => "确认撤回", "Withdraw now";
    Done => "完成", "Done";
    StaffActions => "办理操作", "Actions";
    ActSubmit => "提交申请", "Submitted";
    ActRequestCorrection => "一次性告知补正", "Request a correction";
    ActResubmit => "补正后重新提交", "Resubmitted";
    ActAccept => "受理", "Accept";
    ActRefuse => "不予受理", "Refuse acceptance";
    ActStartReview => "开始审查", "Start the review";
    ActSuspend => "进入特别程序", "Start a special procedure";
    ActResume => "结束特别程序", "End the special procedure";
    ActApprove => "准予许可", "Approve";
    ActReject => "不予许可", "Reject";
    ActIssue => "通知取件", "Ready for pickup";
    ActMail => "快递寄送", "Send by courier";
    ActConfirmPickup => "确认已取件", "Confirm the pickup";
    ActConfirmDelivery => "确认收到", "Confirm the delivery";
    ActWithdraw => "撤回", "Withdraw";
    ReasonLabel => "理由（申请人可以看到）", "Reason (the applicant sees it)";
    NoteLabel => "备注（可选）", "Note (optional)";
    FillThisIn => "请填写此项。", "Fill this in.";
    ProblemTarget => "问题所在", "What is wrong";
    ProblemMessage => "需要怎样修改", "What to fix";
    AddProblem => "添加到通知", "Add to the notice";
    SendCorrection => "发送补正通知", "Send the correction notice";
    NoProblemsYet => "还没有添加问题。请逐项添加，申请人会一次看到全部问题。", "No problem added yet. Add each one; the applicant sees them all at once.";
    TargetField => "表单项", "Field";
    TargetMaterial => "材料", "Material";
    Remove => "删除", "Remove";
    ConfirmAction => "确认", "Confirm";
    MyApplications => "我的办件", "My applications";
    NoApplications => "还没有办件。可以在事项目录中找到能在线办理的事项。", "No applications yet. Find a service you can apply for online in the catalogue.";
    StateFilter => "办件状态", "State";
    UpdatedAt => "更新于", "Updated";
    StaffTitle => "部门办件", "Department queue";
    StaffOnly => "只有部门工作人员可以使用工作台。", "Only department staff can use the console.";
    QueueEmpty => "没有符合条件的办件。", "No cases match.";
    ApplicantsOnly => "工作人员账号没有个人办件，请使用工作台。", "Staff accounts have no applications of their own; use the staff console.";
    Open => "打开", "Open";
    LookupTitle => "办件进度查询", "Track an application";
    LookupIntro => "无需登录：输入受理编号和申请人的身份证号码。", "No account needed: enter the application number and the applicant's ID number.";
    LookupNumber => "受理编号", "Application number";
    LookupId => "申请人身份证号码", "Applicant's ID number";
    LookupSubmit => "查询", "Look up";
    LookupNotFound => "没有找到：请核对受理编号和身份证号码。", "Nothing found: check the application number and the ID number.";
    LookupLimited => "查询太频繁，请稍后再试。", "Too many lookups; try again later.";
    Progress => "办理进度", "Progress";
    NoteShown => "说明", "Note";
    Mon => "周一", "Mon";
    Tue => "周二", "Tue";
    Wed => "周三", "Wed";
    Thu => "周四", "Thu";
    Fri => "周五", "Fri";
    Sat => "周六", "Sat";
    Sun => "周日", "Sun";
    NavWallet => "我的证照", "My documents";
    NavAgents => "代办授权", "Agents";
    TabQueue => "本部门办件", "My department's queue";
    TabConsulted => "征求意见", "Consulted on";
    TabSupervision => "督办预警", "Supervision";
    StaffViews => "工作台视图", "Console views";
    LightFilter => "预警灯", "Light";
    LightYellowRed => "黄灯和红灯", "Yellow and red";
    SupervisionEmpty => "没有临近或超过期限的办件。", "No case is near or past its deadline.";
    AllDepartments => "全部部门", "All departments";
    ItemCodeFilter => "事项编码", "Item code";
    DueBeforeFilter => "到期日不晚于", "Due on or before";
    ApplyFilters => "筛选", "Filter";
    ExportCsv => "导出 CSV", "Export CSV";
    WalletTitle => "我的证照", "My documents";
    WalletIntro => "已被受理的材料和部门出具的结果文书会保存在这里，下次申请可以直接使用。", "Materials accepted in your cases and result documents issued to you are kept here for your next applications.";
    WalletEmpty => "还没有保存的证照和材料。", "No documents kept yet.";
    KindMaterial => "申请材料", "Material";
    KindResult => "结果文书", "Result document";
    SourceNumber => "来源办件", "From application";
    AddedAt => "保存于", "Kept on";
    Download => "下载", "Download";
    DeleteConfirm => "确认删除", "Delete now";
    DeleteQuestion => "删除后不能恢复，已提交的办件不受影响。", "This cannot be undone; cases already submitted keep their copy.";
    UseFromWallet => "从我的证照中选用", "Use from my documents";
    UseThis => "使用", "Use";
    MatchingSlot => "本项材料", "For this material";
    AgentsTitle => "代办授权", "Agents";
    AgentsIntro => "授权他人代您在线申请；您可以随时撤销。", "Authorise someone to apply online for you; you can revoke it at any time.";
    AgentsGiven => "我授权的代办人", "People who may apply for me";
    AgentsReceived => "授权我代办的人", "People I may apply for";
    AgentsNone => "没有。", "None.";
    AgentPhone => "代办人手机号码", "Agent's phone number";
    CompanyPending => "您以该企业成员身份注册，正等待企业已有成员确认；确认前看不到企业的办件：", "You registered as a member of this company and wait for one of its members to confirm you; until then you see none of its cases:";
    CompanyMembers => "企业成员", "Company members";
    CompanyMembersHint => "凭企业统一社会信用代码注册的人须经现有成员确认后，才能查看和办理企业的办件。", "People who register with the company's credit code see and handle its cases only once a member confirms them.";
    MemberWaiting => "待确认", "Waiting";
    MemberConfirm => "确认", "Confirm";
    MemberTurnAway => "拒绝", "Turn away";
    Authorise => "授权", "Authorise";
    Revoke => "撤销", "Revoke";
    ApplyFor => "申请人", "Apply for";
    Myself => "本人", "Myself";
    AgentLabel => "代办人", "Agent";
    Predicted => "预计办结", "Expected decision";
    OpinionsTitle => "联合审查意见", "Opinions of consulted departments";
    OpinionPending => "待回复", "Pending";
    OpinionAgree => "同意", "Agreed";
    OpinionDisagree => "不同意", "Disagreed";
    RequestedAt => "征求于", "Asked";
    AnsweredAt => "回复于", "Answered";
    ConsultLabel => "同时征求以下部门意见（可多选）", "Also consult these departments (any number)";
    GiveOpinion => "提出审查意见", "Give your opinion";
    OpinionNote => "意见说明（不同意时必填）", "Note (required when disagreeing)";
    SendOpinion => "提交意见", "Send the opinion";
    ResultFiles => "结果文书", "Result documents";
    IssueResult => "出具结果文书", "Issue a result document";
    FileName => "文件", "File";
    NavBookings => "预约", "Bookings";
    NavHallDesk => "大厅预约", "Hall desk";
    ChooseHall => "办事大厅", "Hall";
    EarliestAnywhere => "全市最早可约（任一大厅）", "Earliest anywhere in the city";
    ChooseSlot => "选择时段", "Choose a time";
    NoSlots => "近期没有可预约的时段。请换一个大厅或稍后再试。", "No open times soon. Try another hall or come back later.";
    ConfirmBooking => "确认预约", "Confirm the booking";
    PickSlotFirst => "请先选择一个时段。", "Choose a time first.";
    SlotTaken => "该时段刚刚约满，请另选时段。", "That time has just filled. Please choose another.";
    WeekFullRefusal => "您在该周的预约已达上限。请选择其他周的时段，或先取消一个预约。", "You already have the most appointments allowed in that week. Choose a time in another week, or cancel one first.";
    TooManyDraftsRefusal => "您未提交的草稿已达上限。请先提交或删除一份草稿，再开始新的申请。", "You have as many unsubmitted drafts as allowed. Submit or delete one before starting another application.";
    SeeMyDrafts => "查看我的草稿", "See my drafts";
    AlreadyBookedRefusal => "您已有该事项的有效预约。请在“我的预约”中改约或取消后再预约。", "You already have an active appointment for this item. Change or cancel it under “My appointments” first.";
    SlotNotOpen => "该时段已不可预约，请另选。", "That time is no longer open. Please choose another.";
    BookingTitle => "预约详情", "Your appointment";
    BookingCode => "预约码", "Booking code";
    QrHint => "到大厅后出示此二维码或预约码，签到取号。", "Show this QR code or the booking code at the hall to check in and get a queue ticket.";
    QrLabel => "预约码二维码", "QR code of the booking code";
    WindowLabel => "窗口", "Window";
    WhenLabel => "时间", "Time";
    BringList => "请携带", "What to bring";
    AddToCalendar => "添加到日历", "Add to calendar";
    CancelBooking => "取消预约", "Cancel the booking";
    CancelConfirm => "确定取消这次预约吗？", "Cancel this appointment?";
    CancelYes => "确定取消", "Yes, cancel it";
    CancelNo => "保留预约", "Keep it";
    Reschedule => "改约", "Change the time";
    RescheduleHint => "选择新的时段；新时段确认之前，原预约仍然有效。", "Choose a new time; your booking stays as it is until the new time is confirmed.";
    ConfirmReschedule => "确认改约", "Confirm the new time";
    TicketNumber => "排队号", "Queue ticket";
    MyBookings => "我的预约", "My appointments";
    NoBookings => "您还没有预约。在办事指南中点击“预约办理”即可预约。", "No appointments yet. Use “Book an appointment” on a service guide.";
    BookingActive => "已预约", "Booked";
    BookingCancelled => "已取消", "Cancelled";
    BookingCheckedIn => "已签到", "Checked in";
    BookingNoShow => "未到", "No-show";
    HallDeskTitle => "大厅预约管理", "Hall desk";
    DeskDate => "日期", "Date";
    Utilisation => "已约 / 号源", "Booked / seats";
    CitizenName => "办事人", "Citizen";
    CheckIn => "签到", "Check in";
    CheckInCode => "预约码（输入或粘贴）", "Booking code (type or paste)";
    CheckedInTicket => "签到成功，排队号", "Checked in. Queue ticket";
    InvalidCode => "预约码为 8 位字母或数字。", "A booking code has 8 letters and digits.";
    MarkNoShow => "标记未到", "Mark no-show";
    BlockPeriod => "暂停预约时段", "Block a period";
    BlockStart => "开始", "Start";
    BlockEnd => "结束", "End";
    BlockReason => "原因", "Reason";
    BlockWholeHall => "整个大厅", "Whole hall";
    BlockSubmit => "暂停预约", "Block";
    BlockDone => "该时段已暂停预约。", "The period is blocked.";
    NoDayBookings => "当天没有预约。", "No bookings that day.";
    DeskDayBookings => "当日预约", "Bookings of the day";
    DeskHint => "输入、粘贴或扫描市民出示的预约码，为其签到并取号。", "Type, paste or scan the booking code the citizen shows to check them in and give a queue ticket.";
    BlockTimesMissing => "请填写开始和结束时间。", "Fill in the start and the end.";
    NavNotifications => "消息通知", "Notifications";
    OfflineTitle => "离线。", "Offline.";
    OfflineUpdated => "无法连接服务平台，显示的是以下时间更新的内容：", "The platform cannot be reached; this is what was fetched at";
    FileSaved => "已保存到", "Saved to";
    FileNotSaved => "文件未能保存", "The file was not saved";
    OfflineDraftsKept => "此时保存的草稿会先留在本机，连接恢复后自动提交到平台。", "Drafts you save now stay on this device and go to the platform when the connection is back.";
    OfflineDraftsSent => "离线时保存的草稿已同步到服务平台。", "The drafts saved offline have reached the platform.";
    OfflineDraftRefused => "平台未接受离线时保存的申请", "The platform refused the offline changes to application";
    ServerSetupTitle => "连接政务服务平台", "Connect to your service platform";
    ServerSetupIntro => "请输入您所在地区一窗通办服务平台的地址。地址由政务服务部门公布，只需设置一次，之后可在“服务器设置”中更改。", "Enter the address of your region's OneWindow service platform, as published by the government service office. You set it once; you can change it later under Server settings.";
    ServerSettingsTitle => "服务器设置", "Server settings";
    NavServer => "服务器设置", "Server settings";
    ServerCurrent => "当前服务平台", "Current platform";
    ServerInBrowser => "在浏览器中使用时，服务平台就是您打开的网站：", "In a browser, the platform is the site you opened:";
    ServerUrlLabel => "服务平台地址", "Platform address";
    ServerUrlHint => "以 https:// 开头，例如 https://zwfw.example.gov.cn；仅本机测试可用 http://localhost。", "Starts with https://, e.g. https://services.example.gov.cn; plain http://localhost only for testing on this computer.";
    ServerUrlInvalid => "地址无效：须以 https:// 开头（仅本机可用 http://）。", "That address is not valid: it must start with https:// (plain http:// only on this computer).";
    ServerUnreachable => "该地址没有应答的一窗通办服务平台。请检查地址和网络后重试。", "No OneWindow platform answers at that address. Check the address and your connection, and try again.";
    ServerSave => "连接", "Connect";
    ServerChecking => "正在检查…", "Checking…";
    NotificationsTitle => "消息通知", "Notifications";
    NoNotifications => "暂无消息。预约、办件进度等有变化时会通知您。", "No notifications yet. You are told here when a booking or an application changes.";
    MarkAllRead => "全部标为已读", "Mark all as read";
    UnreadMark => "未读", "Unread";
    ReadMark => "已读", "Read";
    AllRead => "没有未读消息。", "Nothing unread.";
    NavStats => "办件统计", "Service statistics";
    StatsTitle => "政务服务统计", "Public service statistics";
    StatsIntro => "各部门收件、办结、按时办结和群众满意情况，无需登录即可查看。", "How each department receives and completes applications, on time and to people's satisfaction. Open to everyone.";
    PeriodFrom => "开始日期", "From";
    PeriodTo => "结束日期", "To";
    ShowPeriod => "查看", "Show";
    PeriodLabel => "统计期间", "Period";
    CityFigures => "全市总体情况", "City-wide figures";
    StatReceived => "收件量", "Received";
    StatCompleted => "办结量", "Completed";
    StatOnTime => "按时办结率", "On-time rate";
    StatOnTheSpot => "当场办结率", "On-the-spot rate";
    StatAvgDays => "平均办理工作日", "Average working days";
    StatSatisfaction => "满意率", "Satisfaction rate";
    StatBookings => "预约量", "Appointments";
    StatNoShows => "爽约数", "No-shows";
    StatRatings => "评价数", "Ratings";
    NoData => "无数据", "No data";
    ChartOnTime => "各部门按时办结率", "On-time rate by department";
    ChartSatisfaction => "各部门满意率", "Satisfaction rate by department";
    ChartNote => "图中的数字与下面的数据表相同。", "The charts show the same numbers as the table below.";
    RatingDistribution => "评价分布", "Ratings by level";
    StatsTable => "各部门统计数据", "Figures by department";
    CityTotal => "全市合计", "City total";
    NavThreads => "咨询投诉", "Questions & complaints";
    MyThreads => "我的咨询投诉", "My questions and complaints";
    NoThreads => "还没有咨询或投诉。可以在办事指南页面提问，或在办件、预约页面投诉。", "No questions or complaints yet. Ask on a service guide, or complain from an application or an appointment.";
    KindQuestion => "咨询", "Question";
    KindComplaint => "投诉", "Complaint";
    ThreadOpen => "待答复", "Waiting for an answer";
    ThreadAnswered => "已答复", "Answered";
    ThreadClosed => "已关闭", "Closed";
    AskQuestion => "我要咨询", "Ask a question";
    FileComplaint => "我要投诉", "File a complaint";
    ComplaintHint => "投诉会转给负责的部门（对大厅的投诉转给督办人员），答复会通知您。", "The complaint goes to the department in charge (for a hall, to the supervisors); you are notified of the answer.";
    QuestionHint => "问题会转给实施部门，答复会通知您。", "The question goes to the department in charge; you are notified of the answer.";
    SignInToAsk => "登录后咨询", "Sign in to ask";
    ThreadTitleLabel => "标题", "Title";
    ThreadTextLabel => "内容", "Message";
    SendQuestion => "提交咨询", "Send the question";
    SendComplaint => "提交投诉", "Send the complaint";
    AuthorStaff => "部门工作人员", "Department staff";
    AuthorMe => "我", "You";
    Messages => "沟通记录", "Messages";
    Attachments => "附件", "Attachments";
    NoAttachments => "没有附件。", "No attachments.";
    AddAttachment => "添加附件", "Add an attachment";
    AttachmentHint => "PDF、OFD、JPEG 或 PNG 文件，每个不超过 10 MB，最多 10 个。", "PDF, OFD, JPEG or PNG, up to 10 MB each, at most 10 files.";
    ReplyLabel => "回复内容", "Your reply";
    AnswerLabel => "答复内容（办事人可以看到）", "Answer (the citizen sees it)";
    SendReply => "发送回复", "Send the reply";
    SendAnswer => "发送答复", "Send the answer";
    CloseThread => "问题已解决，关闭", "Solved: close it";
    ThreadClosedNote => "已关闭。如果仍有问题，可以继续回复，咨询投诉会重新打开。", "Closed. If something is still wrong, reply: that opens it again.";
    SubjectLabel => "关于", "About";
    SubjectCase => "办件", "Application";
    OpenedAt => "提出于", "Opened";
    TabThreads => "咨询投诉", "Questions & complaints";
    TabRectifications => "差评整改", "Rectifications";
    NoStaffThreads => "没有咨询或投诉。", "No questions or complaints.";
    NoRectifications => "没有差评整改。", "No rectifications.";
    RateTitle => "服务评价", "Rate the service";
    RateIntro => "请为本次服务评价。选择“不满意”或“非常不满意”时请说明原因，部门会整改并答复您。", "Rate this service. With “dissatisfied” or “very dissatisfied”, say what went wrong: the department must put it right and answer you.";
    OverallLevel => "总体评价", "Overall";
    DimensionsOptional => "分项评价（可选）", "Details (optional)";
    NotRated => "不评", "Skip";
    CommentLabel => "评价内容", "Comment";
    CommentRequiredBad => "不满意时必填", "required when dissatisfied";
    CommentNeeded => "请说明不满意的原因。", "Say what went wrong.";
    ChooseLevel => "请选择总体评价。", "Choose an overall rating.";
    SubmitRating => "提交评价", "Send the rating";
    YourRating => "您的评价", "Your rating";
    RatedAt => "评价于", "Rated";
    RectificationTitle => "整改情况", "Rectification";
    RectOpen => "待部门答复", "Waiting for the department";
    RectAnswered => "部门已答复，请确认是否解决", "Answered: is it solved?";
    RectClosed => "已解决", "Solved";
    StepAnswered => "部门答复", "Department's answer";
    StepSolved => "确认已解决", "Confirmed solved";
    StepNotSolved => "反馈未解决", "Not solved";
    Solved => "问题已解决", "It is solved";
    NotSolved => "问题没有解决", "It is not solved";
    VerdictComment => "补充说明（可选）", "What is still wrong (optional)";
    NotificationSettings => "通知设置", "Notification settings";
    QuietHours => "免打扰时段", "Quiet hours";
    QuietHoursHint => "这段时间内的推送会在时段结束后发送，消息中心照常显示；紧急消息（补正通知、一小时内的预约提醒）照常推送。", "Pushes in these hours are sent when they end, and the notification centre shows them as usual; urgent ones (corrections, reminders within the hour) are pushed at once.";
    QuietEnabled => "开启免打扰时段", "Use quiet hours";
    QuietStart => "开始时间", "Starts at";
    QuietEnd => "结束时间", "Ends at";
    PushKinds => "推送哪些消息", "What to push";
    PushKindsHint => "取消勾选的消息不再推送，仍会出现在消息中心。", "Unticked kinds are not pushed; they still appear in the notification centre.";
    UrgentKind => "紧急", "urgent";
    SaveSettings => "保存设置", "Save the settings";
    SettingsSaved => "设置已保存。", "Settings saved.";
    ErrQuietHours => "请填写两个不同的时间（时:分）。", "Give two different times (HH:MM).";
    BrowserPush => "浏览器通知", "Browser notifications";
    BrowserPushHint => "在本浏览器中接收推送通知，即使没有打开本网站。", "Get notifications in this browser, even when the site is not open.";
    EnablePush => "开启浏览器通知", "Turn on browser notifications";
    PushEnabled => "本浏览器已开启通知。", "Notifications are on in this browser.";
    PushUnsupported => "此浏览器不支持推送通知。", "This browser does not support push notifications.";
    PushDenied => "浏览器没有允许通知。请在浏览器的网站设置中允许本网站发送通知，再试一次。", "The browser did not allow notifications. Allow them for this site in the browser's settings, then try again.";
    PushFailed => "无法开启浏览器通知：", "Browser notifications could not be turned on:";
    NkBookingConfirmed => "预约成功", "Appointment booked";
    NkBookingRescheduled => "预约改期", "Appointment moved";
    NkBookingCancelled => "预约取消", "Appointment cancelled";
    NkBookingReminderDay => "预约前一天提醒", "Reminder the day before";
    NkBookingReminderHour => "预约前一小时提醒", "Reminder within the hour";
    NkCaseAccepted => "办件已受理", "Application accepted";
    NkCaseCorrection => "需要补正材料", "Correction needed";
    NkCaseCorrectionDueSoon => "补正即将到期", "Correction due soon";
    NkCaseNotAccepted => "不予受理", "Application not accepted";
    NkCaseSuspended => "进入特别程序", "Special procedure started";
    NkCaseResumed => "继续办理", "Handling resumed";
    NkCaseApproved => "准予许可", "Approved";
    NkCaseRejected => "不予许可", "Rejected";
    NkCaseReady => "结果待领取", "Result ready for pickup";
    NkCaseMailed => "结果已寄出", "Result sent by courier";
    NkRectification => "差评整改的答复", "Answer to a bad rating";
    NkThreadAnswered => "咨询投诉的答复", "Answer to a question or complaint";
    NkCompanyMemberWaiting => "待确认的企业成员", "Someone waiting to join the company";
    NavServices => "办事", "Services";
    NavMyCases => "办件", "My cases";
    NavMe => "我的", "Me";
    ElderMode => "长辈模式", "Elder mode";
    MeSignedOut => "登录后可查看办件进度、预约和消息。", "Sign in to see your applications, appointments and notifications.";
    MeMore => "更多服务与设置", "More services and settings";
    AccountRole => "身份", "Account type";
    RoleCitizen => "个人用户", "Individual";
    RoleBusinessMember => "企业用户", "Business member";
    RoleAdmin => "督查管理员", "Supervisor";
    HomeActiveCases => "办理中的事项", "Applications in progress";
    HomeNoActiveCases => "没有办理中的事项。", "No application in progress.";
    HomeAllCases => "查看全部办件", "See all my applications";
    HomeNextBooking => "下一个预约", "Next appointment";
    HomeNoBooking => "没有待办的预约。", "No upcoming appointment.";
    HomeCommonTasks => "常用服务", "Common tasks";
    HomeTaskFind => "找事项、看指南", "Find a service and its guide";
    HomeTaskCases => "查我的办件", "My applications";
    HomeTaskBook => "预约到大厅办理", "Book a visit to a service hall";
    HomeTaskLookup => "凭编号查进度", "Track a case by its number";
    PrintSlip => "打印材料清单", "Print what to bring";
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

/// What a correction notice on the timeline asked for: "补正通知（N 项）".
pub fn correction_points(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("补正通知（{n} 项）"),
        Lang::En if n == 1 => "Correction notice (1 point)".to_owned(),
        Lang::En => format!("Correction notice ({n} points)"),
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

/// How many problems the one-time notice lists.
pub fn problem_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::ZhCn => format!("共 {n} 个问题"),
        Lang::En if n == 1 => "1 problem".to_owned(),
        Lang::En => format!("{n} problems"),
    }
}

/// A file size for people: bytes, KB or MB.
pub fn file_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// A chosen file refused before upload because of its real type.
pub fn wrong_format(lang: Lang, formats: &str) -> String {
    match lang {
        Lang::ZhCn => format!("文件格式不符：这里只接受 {formats}。"),
        Lang::En => format!("Wrong file type: only {formats} is accepted here."),
    }
}

/// A chosen file refused before upload because of its size.
pub fn too_large(lang: Lang, mb: u32) -> String {
    match lang {
        Lang::ZhCn => format!("文件太大：每个文件不超过 {mb} MB。"),
        Lang::En => format!("The file is too large: at most {mb} MB per file."),
    }
}

/// Working days left of a deadline; negative when overdue.
pub fn days_left(lang: Lang, n: i64) -> String {
    match lang {
        Lang::ZhCn if n < 0 => format!("已超期 {} 个工作日", -n),
        Lang::ZhCn => format!("剩余 {n} 个工作日"),
        Lang::En if n < 0 => format!("{} working day(s) overdue", -n),
        Lang::En if n == 1 => "1 working day left".to_owned(),
        Lang::En => format!("{n} working days left"),
    }
}

/// The bell's accessible name and the centre's count line: "3 unread notifications".
pub fn unread_notifications(lang: Lang, n: u64) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 条未读消息"),
        Lang::En if n == 1 => "1 unread notification".to_owned(),
        Lang::En => format!("{n} unread notifications"),
    }
}

/// "N left" on an open slot.
pub fn free_seats(lang: Lang, n: u32) -> String {
    match lang {
        Lang::ZhCn => format!("余 {n}"),
        Lang::En => format!("{n} left"),
    }
}

/// An amount in fen (分) as yuan: `¥20.00`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}¥{}.{:02}", fen / 100, fen % 100)
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
                problem_count(lang, 2),
                wrong_format(lang, "PDF"),
                too_large(lang, 5),
                days_left(lang, 3),
                days_left(lang, -1),
                unread_notifications(lang, 1),
                unread_notifications(lang, 3),
            ] {
                assert!(!s.trim().is_empty());
            }
        }
    }

    #[test]
    fn file_sizes() {
        assert_eq!(file_size(900), "900 B");
        assert_eq!(file_size(2048), "2 KB");
        assert_eq!(file_size(3 * 1024 * 1024 / 2), "1.5 MB");
    }

    #[test]
    fn yuan_from_fen() {
        assert_eq!(yuan(2000), "¥20.00");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(123_456), "¥1234.56");
        assert_eq!(yuan(-150), "-¥1.50");
    }
}
