"""The workbench speaks Simplified Chinese; an English rendering of its own words is one click away.
Case content (names, reasons, timeline sentences) stays as recorded."""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("zh", "en")
ROLE_ZH = {
    "village_operator": "村代办员",
    "township_operator": "乡镇窗口人员",
    "county_staff": "县级部门窗口人员",
    "supervision": "督查科",
    "auditor": "审计人员",
    "admin": "系统管理员",
}
TIER_ZH = {"village": "村级", "township": "乡镇级", "county": "县级"}
CHANNEL_ZH = {
    "village_room": "村便民服务室",
    "township_center": "乡镇便民服务中心",
    "county_window": "县政务服务中心窗口",
    "online": "网上申办",
    "hotline": "热线",
}
KIND_ZH = {"required": "必交", "tolerable": "可容缺", "optional": "选交"}

EN = {
    "三级联动工作台": "Liandong workbench",
    "登录": "Log in",
    "退出": "Log out",
    "账号": "Login",
    "密码": "Password",
    "工作台": "Worklist",
    "新办件": "New matter",
    "本节点在办": "Held here",
    "本节点受理（跟踪）": "Submitted here (tracking)",
    "全县在办": "All open cases",
    "办件编号": "Case number",
    "事项": "Item",
    "申请人": "Applicant",
    "状态": "Status",
    "所在节点": "Held by",
    "办理时限": "Deadline",
    "剩余工作日": "Working days left",
    "渠道": "Channel",
    "全部": "All",
    "查询": "Search",
    "清除": "Clear",
    "办件编号或申请人姓名": "case number or applicant name",
    "红牌": "Overdue",
    "黄牌": "Warning",
    "急": "Fast track",
    "没有办件": "No cases",
    "已自动更新": "Updated",
    "选择事项": "Choose the item",
    "按名称、编码或拼音首字母查找": "Search by name, code or pinyin initials",
    "办事指南": "Guide",
    "申请材料": "Materials",
    "承诺时限": "Promised time",
    "工作日": "working days",
    "收费": "Fee",
    "不收费": "Free",
    "办理依据": "Legal basis",
    "受理条件": "Conditions",
    "申请人信息": "Applicant",
    "姓名": "Name",
    "身份证号": "ID number",
    "联系电话": "Phone",
    "单位": "Organisation",
    "材料齐全，可以受理": "All required materials are here: the case can be accepted",
    "尚缺材料": "Missing materials",
    "提交并受理": "Submit and accept",
    "提交并出具一次性告知书": "Submit and issue the one-time notice",
    "办件信息": "Case",
    "办理过程": "Timeline",
    "可办理的操作": "Actions",
    "暂不可用的操作": "Not available now",
    "办件文书": "Documents",
    "打印": "Print",
    "一次性告知": "One-time notice",
    "补正材料": "Supplement materials",
    "提交补正": "Submit the supplement",
    "返回工作台": "Back to the worklist",
    "流转中": "in transit",
    "时间": "Time",
    "环节": "Step",
    "说明": "What happened",
    "经办人": "Operator",
    "节点": "Node",
    "出错了": "Something went wrong",
    "待提出意见的联合审查": "Joint reviews awaiting this window's opinion",
    "牵头部门": "Lead",
    "方式": "Mode",
    "会签": "all must approve",
    "或签": "any one approves",
    "已有结论": "already concluded",
    "提出意见": "Give opinion",
}


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda zh: EN.get(zh, zh)
    return lambda zh: zh
