"""Deterministic generator of the demonstration year (示例数据): ``ledger/<YYYY>/<MM>/<unit>.toml``.

The repository ships a complete, clearly labelled demonstration year so that a new user's first
build shows a full site. Everything here is a pure function of ``(year, units, seed)``: one
``random.Random`` seeded from ``seed`` and ``year`` is consumed in a fixed order (units in
registry order, months in calendar order, never a set or dict of unknown order), there is no
wall-clock time, and the TOML text is written by hand, so a rerun reproduces every file byte for
byte. The whole year is always simulated; ``months`` only selects which folders are written, so a
partial year is a prefix of the full one. OA numbers are ``KDL-<YYYY>-<NNNNN>``, numbered in date
order per year, hence unique across years and units (a benchmark can call :func:`generate_year`
for many years and many synthetic units; unknown unit names get a generic vocabulary).

    python -m scoring.demo [--ledger DIR] [--year 2023] [--seed 2023]
"""
from __future__ import annotations

import argparse
import calendar
import datetime as dt
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli

# Annual targets per category (submitted, adopted, special submitted, special adopted) used when
# the year has no rules.toml; otherwise they are read from its [[category]] tables.
DEFAULT_TARGETS = {1: (90, 36, 6, 3), 2: (80, 20, 4, 2), 3: (80, 20, 2, 1), 4: (60, 15, 2, 1)}
DEFAULT_DOCUMENT = ("昆都仑区政府系统政务信息工作考评办法（修订）", "昆府办发〔2023〕12号")
# Relative monthly volume: the Spring Festival dip, a push before each quarter's end.
MONTH_WEIGHTS = (0.8, 0.7, 1.2, 1.0, 1.0, 1.1, 0.95, 0.9, 1.1, 0.95, 1.0, 1.1)
INFO_CHANNELS = (("区刊", 58), ("要情", 36.5), ("市刊", 5), ("自治区刊", 0.5))
SECOND_CHANNEL = {"要情": ("区刊", "区刊", "市刊"), "区刊": ("要情", "要情", "市刊"),
                  "市刊": ("区刊",) * 5 + ("自治区刊",), "自治区刊": ("市刊",)}
HOLIDAYS = ((1, 1), (1, 2), (5, 1), (5, 2), (5, 3), *((10, d) for d in range(1, 7)))  # fixed-date
ISSUE_EVERY = {"要情": 4, "区刊": 7, "市刊": 10, "自治区刊": 14}  # days per issue: 第N期 from date
LEADERS = {"区": ("区长", "常务副区长", "副区长"), "市": ("市长", "副市长", "常务副市长"),
           "自治区": ("自治区副主席",)}
TOPICS = ("问题建议", "经验做法", "调研总结")
LABEL = "示例数据（演示用，非真实考评记录）"

# Domain vocabularies: work topics | activities (objects of 开展) | statistics (optional).
# "text@3,4" limits a topic or activity to those months (seasonal work) in ordinary headlines.
VOCAB = {
    "发改": ("重点项目建设|招商引资|营商环境优化|固定资产投资|项目谋划储备|社会信用体系建设|粮食安全保障|价格监测|能耗双控|专项债券项目申报|民营经济发展|以工代赈",
           "重点项目集中开工活动@3,4,5|项目建设“百日攻坚”行动@5,6,7,8,9|重点项目观摩|信用修复专项培训|价格监测专项检查|民营企业座谈会", "固定资产投资|民间投资|重点项目完成投资"),
    "工信": ("工业经济运行|企业技术改造|专精特新企业培育|数字化转型|工业稳增长|中小企业服务|绿色制造|产业链招商|工业企业安全生产|工业园区配套建设",
           "“企业服务月”活动|专精特新企业申报培训|工业企业走访调研|中小企业政策宣讲会|数字化转型现场观摩", "规模以上工业增加值|规上工业总产值"),
    "商务": ("消费提振|外贸稳增长|招商引资|夜间经济|电子商务发展|商贸流通|成品油市场监管|家政服务|老字号保护|展会经济",
           "“乐享消费”促销活动|汽车消费节@5,6,9,10|外贸企业政策宣讲|商贸企业安全生产检查|电商直播带货活动", "社会消费品零售总额|限额以上消费品零售额|进出口总额"),
    "教育": ("义务教育优质均衡发展|“双减”政策落实|校园安全|课后服务|师资队伍建设|学前教育普惠发展|集团化办学|思政课建设|校园食品安全|学生心理健康教育|教育信息化|控辍保学",
           "中小学安全教育周活动@3,4|“开学第一课”主题活动@2,3,9|教师教学技能大赛|校园食品安全专项检查|家校共育专题讲座|中考考务培训@5,6", ""),
    "民政": ("养老服务体系建设|社会救助|困难群众帮扶|殡葬改革|社会组织管理|未成年人保护|婚姻登记服务|残疾人两项补贴发放|居家养老服务|低保动态管理|临时救助",
           "养老机构安全隐患排查|社会救助政策宣传月活动|“敬老月”活动@10|社会组织年检@3,4,5,6|慈善募捐活动", ""),
    "财政": ("预算管理一体化|直达资金监管|政府采购管理|国有资产管理|债务风险防范|财会监督|预算绩效管理|惠民惠农补贴发放|财政收支管理|减税降费政策落实",
           "财会监督专项检查|预算绩效管理培训|政府采购领域专项整治|惠民惠农“一卡通”专项治理", "一般公共预算收入|民生支出"),
    "人社": ("稳就业|高校毕业生就业|根治欠薪|职业技能培训|社会保险扩面|创业担保贷款|构建和谐劳动关系|人才引进|“15分钟就业服务圈”建设|工伤保险|养老保险待遇资格认证",
           "“春风行动”专场招聘会@2,3|“民营企业招聘月”活动@3,4|根治欠薪冬季专项行动@1,11,12|职业技能竞赛|社保政策进企业宣讲", "城镇新增就业人数"),
    "住建": ("老旧小区改造|城镇燃气安全|建筑施工安全|物业管理|保障性住房建设|房地产市场平稳健康发展|城市更新|农民工工资支付|冬季供热保障@1,2,3,10,11,12|建筑市场秩序",
           "燃气安全专项整治|建筑施工安全大检查|物业服务质量提升行动|老旧小区改造入户宣传|供热“访民问暖”活动@1,2,10,11,12", ""),
    "市场": ("食品安全|特种设备安全|知识产权保护|市场主体培育|价格监管|药品安全|“双随机、一公开”监管|计量检定|消费维权|广告监管|企业信用监管",
           "“3·15”消费者权益保护宣传活动@3|校园周边食品安全专项检查@2,3,8,9|特种设备安全隐患排查|食品安全宣传周活动@6|“铁拳”行动", "市场主体数量"),
    "统计": ("统计数据质量|第五次全国经济普查|统计执法检查|统计监测分析|统计法治宣传|统计业务培训|“四上”企业入库|统计服务|统计调查",
           "第五次全国经济普查清查@8,9,10,11,12|统计法宣传进企业活动|统计业务知识培训|统计执法“双随机”检查", "地区生产总值|规模以上工业增加值|社会消费品零售总额|固定资产投资"),
    "农牧": ("乡村振兴|高标准农田建设|农牧业产业化|动物疫病防控|设施农业发展|农村人居环境整治|农畜产品质量安全|春耕备耕@3,4,5|农村集体经济|农牧业技术推广",
           "春季动物疫病集中免疫@3,4,5|农技人员进村入户指导|农畜产品质量安全抽检|农民丰收节庆祝活动@9|高素质农牧民培训", ""),
    "园区": ("园区基础设施建设|重点项目落地|招商引资|入园企业服务|园区安全生产|产业集聚发展|标准化厂房建设|园区营商环境|新能源产业发展|循环经济发展",
           "招商推介会|入园企业座谈会|园区安全生产大检查|项目集中签约活动|“企业开放日”活动", "园区工业总产值"),
    "政务": ("“一网通办”|政务服务事项标准化|“蒙速办”应用推广|“一件事一次办”|帮办代办服务|“跨省通办”|政务服务“好差评”|便民服务中心建设|审批制度改革|“12345”热线办理",
           "政务服务窗口业务培训|“政务服务进园区”活动|“我陪群众走流程”活动|“局长坐窗口”活动", ""),
    "科技": ("科技创新|高新技术企业培育|科技成果转化|科技型中小企业评价|科普宣传|创新平台建设|科技特派员服务|研发投入|“科技兴蒙”行动|产学研合作",
           "全国科技活动周活动@5|高新技术企业认定政策培训|科普进社区活动|科技成果对接会", ""),
    "民委": ("铸牢中华民族共同体意识|民族团结进步创建|民族政策宣传|宗教事务管理|少数民族流动人口服务|民族团结进步教育|国家通用语言文字推广",
           "民族团结进步宣传月活动@9|“石榴籽”主题宣讲活动|民族政策进社区宣讲|宗教活动场所安全检查", ""),
    "司法": ("法治政府建设|“八五”普法|人民调解|社区矫正|公共法律服务|行政复议|法律援助|矛盾纠纷排查化解|行政执法监督|法治乡村建设",
           "“宪法宣传周”活动@12|“法律进社区”活动|人民调解员业务培训|社区矫正对象集中教育|法治讲座", ""),
    "文旅": ("全民健身|文旅融合发展|公共文化服务|文物安全|群众文化活动|旅游市场监管|体育赛事|广播电视安全播出|文化市场执法|非遗保护传承",
           "“我们的节日”系列文化活动|全民健身运动会|广场舞展演|非遗展示活动|文化惠民演出", ""),
    "应急": ("安全生产|防汛抗旱@4,5,6,7,8,9|森林草原防灭火@1,2,3,4,5,9,10,11,12|应急救援能力建设|自然灾害防治|危险化学品安全|应急预案演练|防灾减灾宣传|隐患排查整治|安全生产责任落实",
           "安全生产大检查|防汛应急演练@5,6,7|“安全生产月”宣传咨询日活动@6|危化品企业专项检查|应急救援队伍技能比武", ""),
    "卫健": ("基本公共卫生服务|家庭医生签约服务|疾病预防控制|医疗服务质量提升|爱国卫生运动|妇幼健康|传染病防控|基层医疗卫生服务能力建设|医养结合|健康教育",
           "义诊进社区活动|爱国卫生月活动@4|“世界无烟日”宣传活动@5,6|全民健康生活方式宣传月活动@9|医疗机构安全生产检查", ""),
    "审计": ("审计监督|经济责任审计|审计整改|政府投资项目审计|专项资金审计|预算执行审计|审计信息化建设|内部审计指导",
           "审计业务培训|审计整改“回头看”|审计进点会|内审工作推进会", ""),
    "执法": ("市容环境整治|违法建设治理|占道经营整治|城市精细化管理|渣土车治理|户外广告整治|“门前三包”责任落实|餐饮油烟治理|冬季清雪保畅@1,2,3,11,12|园林绿化管护",
           "市容市貌集中整治行动|违法建设拆除行动|夜间巡查整治|清雪除冰行动@1,2,3,11,12", ""),
    "信访": ("信访积案化解|矛盾纠纷源头治理|领导干部接访下访|信访工作法治化|网上信访|《信访工作条例》宣传贯彻|重点时期信访稳定",
           "《信访工作条例》宣传月活动@5|领导干部公开接访|信访业务培训|信访积案攻坚行动", ""),
    "医保": ("医保基金监管|城乡居民医保参保|医保支付方式改革|异地就医直接结算|医保经办服务|药品集中带量采购|门诊共济保障|打击欺诈骗保|医保服务进社区",
           "打击欺诈骗保集中宣传月活动@4|医保政策进社区宣讲|定点医药机构专项检查|城乡居民医保集中参保缴费@9,10,11,12", ""),
    "退役": ("退役军人服务保障|优抚对象帮扶|退役军人就业创业|光荣牌悬挂|双拥共建|烈士纪念设施保护|退役军人服务站建设",
           "退役军人专场招聘会|“八一”走访慰问活动@7,8|烈士纪念日公祭活动@9|退役军人政策宣讲", ""),
    "供销": ("农资保供|供销合作社综合改革|农村电商发展|再生资源回收|为农服务中心建设|基层社建设|农产品流通",
           "农资打假专项行动@3,4,5|农产品产销对接会|“供销助农”直播活动", ""),
    "机关事务": ("公共机构节能|公务用车管理|办公用房管理|机关食堂管理|节约型机关创建|机关安全保卫|会议服务保障|反食品浪费",
             "节能宣传周活动@6|机关大院消防安全检查|公共机构节能培训|“光盘行动”宣传", ""),
    "数据": ("智慧城市建设|政务数据共享|数字政府建设|网络安全保障|政务云平台运维|“城市大脑”建设|数据资源整合|电子政务外网建设|信息系统等级保护",
           "网络安全宣传周活动@9|政务数据共享培训|网络安全应急演练|智慧城市项目推进会", ""),
    "镇": ("乡村振兴|农村人居环境整治|基层治理|设施农业发展|村集体经济发展|秸秆禁烧@3,4,9,10,11|森林草原防火@1,2,3,4,5,9,10,11,12|防汛@5,6,7,8,9|农村安全生产|网格化服务管理|耕地保护|移风易俗",
          "人居环境整治“百日攻坚”|村“两委”干部培训|农技培训进村入户|“文明家庭”评选活动|禁烧巡查@3,4,10,11", ""),
    "街道": ("基层社会治理|网格化服务管理|老旧小区改造|党建引领社区治理|社区养老服务|创建全国文明城市|垃圾分类|物业管理|“我为群众办实事”|平安社区建设|社区志愿服务|燃气安全|就业服务|群众“急难愁盼”问题解决",
           "“邻里节”活动|“我们的节日”主题活动|“红色物业”议事会|入户走访|燃气安全入户宣传|志愿服务活动|反诈宣传进社区活动|“四点半课堂”|环境卫生大扫除", ""),
    "公安": ("打击电信网络诈骗|社会治安防控体系建设|扫黑除恶常态化|校园及周边安全|“枫桥式”派出所创建|反诈宣传|户籍服务|命案积案攻坚|食药环犯罪打击|夏季治安打击整治@6,7,8,9",
           "反诈宣传进校园活动|“110宣传日”活动@1|夜间巡逻防控|治安隐患排查整治|警营开放日活动", ""),
    "交管": ("道路交通安全|“一盔一带”|交通秩序整治|酒驾醉驾整治|电动自行车管理|学校周边交通安全|冬季道路交通安全@1,2,11,12|货车超载治理|交通违法行为查处",
           "交通安全进校园活动|“一盔一带”安全守护行动|酒驾醉驾集中整治|“122全国交通安全日”宣传活动@12|夜查行动", ""),
    "生态": ("大气污染防治|“蓝天保卫战”|水污染防治|土壤污染防治|生态环境执法|中央生态环境保护督察整改|噪声污染治理|机动车尾气监管|固体废物管理|环境风险防范",
           "“六五”环境日宣传活动@6|生态环境执法检查|涉气企业专项检查|重污染天气应急演练|环保设施向公众开放活动", ""),
    "税务": ("减税降费政策落实|组合式税费支持政策|个人所得税汇算清缴@3,4,5,6|税费服务|发票电子化改革|税收营商环境|“银税互动”|税收征管|纳税信用建设|非接触式办税",
           "“便民办税春风行动”@3,4,5|税收宣传月活动@4|税费政策辅导会|“税企直通车”走访|“银税互动”签约活动", "税收收入"),
    "自然资源": ("耕地保护|国土空间规划|不动产登记|自然资源执法|矿产资源管理|土地供应|国土绿化|地质灾害防治|“房地一体”确权|卫片执法",
             "“4·22世界地球日”宣传活动@4|“6·25全国土地日”宣传活动@6|地质灾害应急演练|耕地保护专项检查|不动产登记“进社区”", ""),
    "综合": ("作风建设|营商环境优化|安全生产|政务公开|民生实事|依法行政|基层党建|业务能力提升|“我为群众办实事”|重点工作落实",
           "业务培训|专题调研|安全隐患排查|主题党日活动|志愿服务活动", ""),
}
# Unit name keyword -> domain, first match wins; unknown names fall back to 综合 (街道 for category 3).
DOMAIN_KEYWORDS = (("街道", "街道"), ("镇", "镇"), ("公安", "公安"), ("交管", "交管"), ("交警", "交管"),
                   ("生态", "生态"), ("税务", "税务"), ("自然资源", "自然资源"), ("发改", "发改"),
                   ("工信", "工信"), ("商务", "商务"), ("教育", "教育"), ("民政", "民政"),
                   ("财政", "财政"), ("人社", "人社"), ("住建", "住建"), ("市场", "市场"),
                   ("统计", "统计"), ("农牧", "农牧"), ("园区", "园区"), ("政务", "政务"),
                   ("科技", "科技"), ("民委", "民委"), ("司法", "司法"), ("文", "文旅"),
                   ("应急", "应急"), ("卫健", "卫健"), ("审计", "审计"), ("执法", "执法"),
                   ("信访", "信访"), ("医保", "医保"), ("退役", "退役"), ("供销", "供销"),
                   ("机关事务", "机关事务"), ("数据", "数据"))
SEASONAL = ("春节前安全生产大检查|“两节”走访慰问|节日期间值班值守", "春节后复工复产|元宵节期间安全防范|“开年即开跑”项目建设",
            "学雷锋志愿服务|一季度“开门红”|春季安全生产", "清明节文明祭扫|全民国家安全教育日宣传|春季植树",
            "“五一”假期安全|防汛准备|汛前隐患排查", "“安全生产月”|防汛|端午节期间安全防范",
            "防汛度汛|防暑降温|暑期安全", "夏季治安防范|秋季开学准备|“八一”走访慰问",
            "中秋国庆“双节”|秋季开学|全国科普日", "国庆假期安全|冬季供暖准备|秋冬季大气污染防治",
            "冬季供热保障|“119”消防宣传月|冬季安全生产", "年终岁末安全防范|冬季清雪保畅|“12·4”国家宪法日宣传")
PLACES = "和平|幸福|光明|朝阳|胜利|新兴|滨河|惠民|青年|文化|春光|民主|团结|兴盛|阳光|友谊"
VERBS = "扎实推进|持续深化|全力抓好|稳步推进|高位推动|统筹推进|全面加强|持续抓好|精准推进|纵深推进"
MEANS = "多措并举|聚焦重点|精准发力|党建引领|数字赋能|强化协同|靶向施策|创新机制|压实责任"
RESULTS = "见实效|取得新进展|提质增效|走深走实|再上新台阶|取得阶段性成效"
FLOURISH = "跑出“加速度”|按下“快进键”|交出“高分答卷”|跑出“新速度”|迈出“新步伐”"
SLOGANS = "三个聚焦|四个强化|五项举措|三项机制|三个到位|四个坚持"
MEETINGS = "会议|推进会|调度会|部署会|座谈会"
GOALS = "高质量发展|经济社会高质量发展|全区高质量发展"


def _split(text: str) -> list[str]:
    return [s for s in text.split("|") if s]


def _in_season(words: list[str], month: int | None) -> list[str]:
    """The words usable in ``month`` (all, untagged, when ``month`` is None), tags stripped."""
    out = []
    for word in words:
        text, _, months = word.partition("@")
        if month is None or not months or str(month) in months.split(","):
            out.append(text)
    return out


@dataclass
class Item:
    """One submitted item ([[info]]); ``oa`` is numbered once every unit's items are known."""

    unit: int
    date: dt.date
    title: str
    topic: str | None = None  # set for a 专报
    note: str | None = None
    oa: str = ""
    channels: list[str] = field(default_factory=list)  # adopted by, in order
    last_adopted: dt.date | None = None


@dataclass
class Record:
    """A rendered record: its table name, sort key and ``key = value`` pairs in output order."""

    table: str
    key: tuple[Any, ...]
    pairs: list[tuple[str, Any]]


@dataclass
class UnitPlan:
    """One unit's simulated year."""

    index: int
    unit: dict[str, Any]
    targets: tuple[int, int, int, int]
    headlines: Headlines
    items: list[Item] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


def domain_of(unit: dict[str, Any]) -> str:
    for word, domain in DOMAIN_KEYWORDS:
        if word in unit["name"]:
            return domain
    return "街道" if unit.get("category") == 3 else "综合"


def display_name(unit: dict[str, Any]) -> str:
    """The unit as a headline names it: 区发改委, 昆北街道, 昆区公安分局."""
    name = str(unit["name"]).removesuffix("办事处")
    if any(w in name for w in ("区", "昆都仑", "镇", "街道")):
        return name
    return ("昆区" if unit.get("category") == 4 else "区") + name


class Headlines:
    """Per-unit headline maker: domain vocabulary × templates, re-drawing to avoid repeats."""

    def __init__(self, rng: random.Random, unit: dict[str, Any], year: int):
        self.rng, self.year, self.u = rng, year, display_name(unit)
        domain = domain_of(unit)
        topics, acts, metrics = VOCAB[domain]
        self.topics, self.acts, self.metrics = _split(topics), _split(acts), _split(metrics)
        suffix = {"街道": "社区", "镇": "村"}.get(domain)
        self.places = [p + suffix for p in rng.sample(_split(PLACES), 4)] if suffix else []
        self.seen: set[Any] = set()

    def _pick(self, text: str | list[str]) -> str:
        return self.rng.choice(_split(text) if isinstance(text, str) else text)

    def topic(self, month: int | None = None) -> str:
        return self.rng.choice(_in_season(self.topics, month))

    def info(self, date: dt.date) -> str:
        for _ in range(40):
            title = self._draw(date)
            if title not in self.seen:
                break
        self.seen.add(title)
        return title

    def _draw(self, date: dt.date) -> str:
        r, u, t, p = self.rng.random(), self.u, self.topic(date.month), self._pick
        acts = _in_season(self.acts, date.month)
        if self.metrics and r < 0.08:
            m = date.month
            period = f"{self.year - 1}年" if m == 1 else ("1月" if m == 2 else f"1—{m - 1}月")
            return f"{period}我区{p(self.metrics)}同比增长{self.rng.uniform(2.0, 9.5):.1f}%"
        season = p(SEASONAL[date.month - 1])
        if r < 0.16 and (date.year, season) not in self.seen:
            self.seen.add((date.year, season))  # each seasonal theme once per unit and year
            return f"{u}{p('扎实做好|全力做好|统筹做好|周密部署')}{season}工作"
        if self.places and r < 0.34:
            return f"{u}{p(self.places)}{p('开展|组织开展')}{p(acts)}"
        if date.month <= 3 and r < 0.4:
            return f"{u}召开{self.year}年{t}工作会议"
        return self.rng.choice((
            lambda: f"{u}{p(VERBS)}{t}",
            lambda: f"{u}{p('扎实做好|全力以赴做好|认真做好')}{t}工作",
            lambda: f"{u}召开{t}工作{p(MEETINGS)}",
            lambda: f"{u}{p('开展|组织开展|扎实开展')}{p(acts)}",
            lambda: f"{u}{p('开展|组织开展|扎实开展')}{p(acts)}",
            lambda: f"{u}{p(MEANS)}推动{t}{p(RESULTS)}",
            lambda: f"我区{t}{p('取得新进展|取得阶段性成效|成效明显|稳步推进')}",
            lambda: f"{u}“{p(SLOGANS)}”{p('助力|护航|推动|赋能')}{t}",
            lambda: f"{u}：{t}{p(FLOURISH)}",
            lambda: f"{u}{p(VERBS)}{t}助力{p(GOALS)}",
        ))()

    def special(self, topic: str) -> str:
        t, u, p = self.topic(), self.u, self._pick
        forms = {"问题建议": (f"关于{t}中存在的问题及建议", f"关于进一步加强{t}的建议",
                          f"{t}面临的困难和对策建议"),
                 "经验做法": (f"{u}推进{t}的经验做法", f"{u}“{p(SLOGANS)}”推动{t}提质增效",
                          f"{u}创新{t}工作机制的做法与成效"),
                 "调研总结": (f"关于{t}情况的调研报告", f"关于我区{t}的调查与思考", f"{t}专题调研报告")}
        title = self.rng.choice(forms[topic])
        self.seen.add(title)
        return title

    def commission(self) -> str:
        t = self.topic()
        return self.rng.choice((f"关于报送{t}工作情况的约稿", f"关于{t}亮点做法的约稿",
                                f"关于{t}有关情况的专题约稿"))


# ---------------------------------------------------------------- dates

def is_workday(day: dt.date) -> bool:
    """Monday to Friday outside the fixed-date public holidays (lunar ones are ignored)."""
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def workdays(year: int, month: int) -> list[dt.date]:
    days = calendar.monthrange(year, month)[1]
    return [d for d in (dt.date(year, month, i) for i in range(1, days + 1)) if is_workday(d)]


def later_workday(rng: random.Random, start: dt.date, lags: tuple[int, ...]) -> dt.date:
    """The first workday ``rng.choice(lags)`` days after ``start`` or later, within the year."""
    day = start + dt.timedelta(days=rng.choice(lags))
    while not is_workday(day):
        day += dt.timedelta(days=1)
    if day.year > start.year:  # the last workday of the year, but not before start
        day = dt.date(start.year, 12, 31)
        while not is_workday(day) and day > start:
            day -= dt.timedelta(days=1)
    return day


def _alloc(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder, ties to the earlier month)."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# ---------------------------------------------------------------- simulation

def _read_toml(path: Path) -> dict[str, Any]:
    return tomli.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def simulate(year: int, units: list[dict[str, Any]], rules: dict[str, Any],
             seed: int) -> list[UnitPlan]:
    """Simulate the whole year: every unit's items, adoptions, instructions, commissions, events."""
    rng = random.Random(f"kaoping-demo:{seed}:{year}")
    targets = dict(DEFAULT_TARGETS)
    for c in rules.get("category", []):
        targets[c["id"]] = (c["submitted"], c["adopted"], c["special_submitted"],
                            c["special_adopted"])
    # Profiles, scaled to the number of units (47 in 2023): 4 weak, 3 strong, 3 slow starters
    # (plus one weak unit), 2 short of the 专报 targets besides the weak ones.
    n = len(units)
    shuffled = rng.sample(range(n), n)
    k_weak, k_strong, k_slow, k_special = (max(1, round(n * 4 / 47)), round(n * 3 / 47),
                                           round(n * 3 / 47), round(n * 2 / 47))
    weak = set(shuffled[:k_weak])
    strong = set(shuffled[k_weak:k_weak + k_strong])
    rest = shuffled[k_weak + k_strong:]
    slow = set(rest[:k_slow]) | {shuffled[0]}
    special_short = weak | set(rest[k_slow:k_slow + k_special])
    plans = []
    for i, unit in enumerate(units):
        plan = UnitPlan(i, unit, targets[unit["category"]], Headlines(rng, unit, year))
        _plan_items(rng, plan, year, weak=i in weak, strong=i in strong, slow=i in slow,
                    special_short=i in special_short)
        plans.append(plan)
    everything = sorted((it.date, it.unit, pos, it) for p in plans
                        for pos, it in enumerate(p.items))
    width = max(5, len(str(len(everything))))
    for number, (*_, it) in enumerate(everything, 1):
        it.oa = f"KDL-{year}-{number:0{width}d}"
    for plan in plans:
        plan.records += [_info_record(it) for it in plan.items]
        _adopt(rng, plan, weak=plan.index in weak, special_short=plan.index in special_short)
    _instruct(rng, plans, n)
    for plan in plans:
        _commissions(rng, plan, year)
    _events(rng, plans, year, n)
    return plans


def _plan_items(rng: random.Random, plan: UnitPlan, year: int, *, weak: bool, strong: bool,
                slow: bool, special_short: bool) -> None:
    t_sub, _, t_ss, _ = plan.targets
    factor = rng.uniform(0.55, 0.8) if weak else rng.uniform(1.6, 2.1) if strong \
        else rng.uniform(1.05, 1.3)
    total = round(t_sub * factor)
    specials = max(0, t_ss - rng.choice((1, 2))) if special_short else t_ss + rng.choice((0, 0, 1, 2))
    weights = [w * rng.uniform(0.85, 1.15) * (0.45 if slow and m < 3 else 1)
               for m, w in enumerate(MONTH_WEIGHTS)]
    special_months = sorted(rng.choice(range(3, 13)) for _ in range(specials))
    topics = [rng.choice(TOPICS) for _ in range(specials)]
    for month, count in enumerate(_alloc(total, weights), 1):
        days = workdays(year, month)
        n_special = special_months.count(month)
        for k in range(max(count, n_special)):
            date = rng.choice(days)
            if k < n_special:
                topic = topics.pop()
                plan.items.append(Item(plan.index, date, plan.headlines.special(topic), topic))
            else:
                note = rng.choice(("附图片2张", "经OA平台退回修改后重新报送", "约稿信息")) \
                    if rng.random() < 0.02 else None
                plan.items.append(Item(plan.index, date, plan.headlines.info(date), note=note))
    plan.items.sort(key=lambda it: it.date)


def _info_record(it: Item) -> Record:
    pairs = [("oa", it.oa), ("title", it.title), ("date", it.date)]
    if it.topic:
        pairs += [("kind", "专报"), ("topic", it.topic)]
    if it.note:
        pairs.append(("note", it.note))
    return Record("info", (it.date, it.oa), pairs)


LAGS = (0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20)


def _adoption(rng: random.Random, plan: UnitPlan, it: Item, by: str, after: dt.date) -> dt.date:
    date = later_workday(rng, after, LAGS)
    pairs: list[tuple[str, Any]] = [("oa", it.oa), ("by", by), ("date", date)]
    if by in ISSUE_EVERY and rng.random() < 0.85:
        pairs.append(("issue", f"第{(date.timetuple().tm_yday - 1) // ISSUE_EVERY[by] + 1}期"))
    if by == "自治区刊" and rng.random() < 0.5:
        pairs.append(("note", "经市政府办公室推荐"))
    it.channels.append(by)
    it.last_adopted = max(date, it.last_adopted or date)
    plan.records.append(Record("adoption", (date, it.oa, by), pairs))
    return date


def _adopt(rng: random.Random, plan: UnitPlan, *, weak: bool, special_short: bool) -> None:
    """Adopt a share of each month's items (some on a second channel), then top up to target."""
    t_sub, t_adopt, _, t_sa = plan.targets
    base = t_adopt / t_sub  # adoption records per item the target implies
    rate = base * rng.uniform(0.6, 0.85) if weak else base + rng.uniform(0.06, 0.15)
    ordinary = [it for it in plan.items if not it.topic]
    for month in range(1, 13):
        pool = [it for it in ordinary if it.date.month == month]
        k = min(len(pool), math.floor(len(pool) * rate / 1.15 + rng.random()))
        for it in sorted(rng.sample(pool, k), key=pool.index):
            _adopt_info(rng, plan, it)
    while not weak and sum(len(it.channels) for it in ordinary) < t_adopt + 1:
        pool = [it for it in ordinary if not it.channels and it.date.month < 12]
        if not pool:
            break
        _adopt_info(rng, plan, rng.choice(pool))
    specials = [it for it in plan.items if it.topic]
    wanted = min(len(specials), max(0, t_sa - 1) if special_short else t_sa + rng.choice((0, 1, 1)))
    for it in rng.sample(specials, wanted):
        by = rng.choices(("上报", "市刊", "自治区刊"), (70, 25, 5))[0]
        date = _adoption(rng, plan, it, by, it.date)
        if by == "上报" and rng.random() < 0.25:
            _adoption(rng, plan, it, "市刊", date)


def _adopt_info(rng: random.Random, plan: UnitPlan, it: Item) -> None:
    by = rng.choices([c for c, _ in INFO_CHANNELS], [w for _, w in INFO_CHANNELS])[0]
    date = _adoption(rng, plan, it, by, it.date)
    if rng.random() < 0.14:
        _adoption(rng, plan, it, rng.choice(SECOND_CHANNEL[by]), date)


def _instruct(rng: random.Random, plans: list[UnitPlan], n: int) -> None:
    """Leaders' instructions on adopted items: mostly 区, some 市, one or two 自治区."""
    adopted = [it for p in plans for it in p.items if it.channels]
    counts = {"区": round(n * 28 / 47), "市": round(n * 8 / 47), "自治区": max(1, round(n * 2 / 47))}
    for level, count in counts.items():
        pool = [it for it in adopted if level != "自治区" or it.topic
                or {"市刊", "自治区刊"} & set(it.channels)]
        weights = [6 if it.topic else 4 if {"市刊", "自治区刊"} & set(it.channels) else 1
                   for it in pool]
        chosen: list[Item] = []
        for _ in range(min(count, len(pool))):
            k = rng.choices(range(len(pool)), weights)[0]
            chosen.append(pool.pop(k))
            weights.pop(k)
        for it in sorted(chosen, key=lambda it: it.oa):
            date = later_workday(rng, it.last_adopted or it.date, (2, 3, 5, 7, 10, 14))
            pairs = [("oa", it.oa), ("level", level), ("date", date),
                     ("leader", rng.choice(LEADERS[level]))]
            plans[it.unit].records.append(Record("instruction", (date, it.oa, level), pairs))


def _commissions(rng: random.Random, plan: UnitPlan, year: int) -> None:
    """One to three 上级约稿 a year; most delivered on time, a few late or not at all."""
    for month in sorted(rng.sample(range(1, 13), rng.choice((1, 2, 2, 2, 3)))):
        due = rng.choice([d for d in workdays(year, month) if d.day <= 25])
        pairs: list[tuple[str, Any]] = [("title", plan.headlines.commission()), ("due", due)]
        r = rng.random()
        if r < 0.04:
            pairs.append(("note", "截止日期前未报送"))
        elif r < 0.1:
            late = rng.randint(1, 4)
            pairs += [("delivered", due + dt.timedelta(days=late)), ("note", f"逾期{late}天报送")]
        else:
            pairs.append(("delivered", due - dt.timedelta(days=rng.choice((0, 0, 1, 2, 3)))))
            if rng.random() < 0.2:
                pairs.append(("note", "市政府办公室约稿"))
        plan.records.append(Record("commission", (due, pairs[0][1]), pairs))


def _events(rng: random.Random, plans: list[UnitPlan], year: int, n: int) -> None:
    """综合考评事项, spread over randomly chosen units."""
    meeting = next(d for d in (dt.date(year, 5, 25) + dt.timedelta(days=i) for i in range(7))
                   if is_workday(d))
    s = n / 47

    def add(plan: UnitPlan, kind: str, date: dt.date, note: str | None) -> None:
        pairs = [("kind", kind), ("date", date)] + ([("note", note)] if note else [])
        plan.records.append(Record("event", (date, kind), pairs))

    def some(count: float) -> list[UnitPlan]:
        return [plans[i] for i in sorted(rng.sample(range(n), min(n, max(1, round(count)))))]

    trained = some(15 * s)
    for k, plan in enumerate(trained):
        months = sorted(rng.sample((3, 4, 6, 9, 10, 11), 2 if k == len(trained) // 2 else 1))
        for j, m in enumerate(months):
            add(plan, "轮训", rng.choice(workdays(year, m)),
                "选派信息员到区政府办公室信息室轮训" + ("（第二批次）" if j else ""))
    for plan in some(10 * s):
        add(plan, "调研配合", rng.choice(workdays(year, rng.randint(4, 11))),
            f"配合市政府办公室开展{plan.headlines.topic()}专题调研")
    for plan in some(rng.choice((1, 2)) * s):
        add(plan, "迟漏瞒错报", rng.choice(workdays(year, rng.randint(2, 11))), "重要紧急信息迟报")
    for plan in some(4 * s):
        it = rng.choice([it for it in plan.items if it.date.month < 12] or plan.items)
        date = later_workday(rng, it.date, (1, 2, 3, 5))
        add(plan, "失实滞后", date, f"《{it.title}》" + rng.choice(("部分数据与实际不符",
                                                                   "报送滞后，时效性不足")))
    for plan in some(3 * s):
        add(plan, "缺席会议", meeting, "未参加全区政府系统政务信息工作会议")
    for plan in some(rng.choice((1, 2)) * s):
        add(plan, "工作失误", rng.choice(workdays(year, rng.randint(3, 11))),
            "未按考评办法要求通过OA协同办公平台报送信息，造成不良影响")


# ---------------------------------------------------------------- tallies and texts

def tally(plans: list[UnitPlan]) -> dict[int, list[list[int]]]:
    """Per unit index, per month (0–11): [submitted, adopted, special_submitted, special_adopted]."""
    special = {it.oa for p in plans for it in p.items if it.topic}
    out = {p.index: [[0, 0, 0, 0] for _ in range(12)] for p in plans}
    for p in plans:
        for r in p.records:
            row = out[p.index][r.key[0].month - 1]
            oa = r.pairs[0][1]
            if r.table == "info":
                row[0] += 1
                row[2] += oa in special
            elif r.table == "adoption":
                row[1] += 1
                row[3] += oa in special
    return out


def short_units(plans: list[UnitPlan], months: range, *, annual: bool) -> list[str]:
    """Names of units short of the quarterly (¼, rounded up) or annual targets over ``months``."""
    counts, names = tally(plans), []
    for p in plans:
        got = [sum(counts[p.index][m - 1][k] for m in months) for k in range(4)]
        need = p.targets if annual else (-(-p.targets[0] // 4), -(-p.targets[1] // 4), 0, 0)
        if any(g < t for g, t in zip(got, need, strict=True)):
            names.append(p.unit["name"])
    return names


def _sum(plans: list[UnitPlan], months: range, table: str, field_name: str = "",
         values: tuple[str, ...] = ()) -> int:
    return sum(1 for p in plans for r in p.records if r.table == table and r.key[0].month in months
               and (not values or dict(r.pairs).get(field_name) in values))


CLOSINGS = (  # the closing paragraph of each quarter-end bulletin
    ("春节后各单位报送工作逐步恢复，但部分单位起步偏慢。请各单位对照全年任务量倒排工期，"
     "确保每季度报采数量均达到全年任务量的四分之一。"),
    ("《{title}》印发以来，各单位报送信息的时效性和针对性有所提升。下半年请围绕全区中心工作，"
     "多报送反映新情况、新问题的专报信息。"),
    "进入四季度，请各单位对照年度任务查漏补缺，按时完成上级约稿任务，杜绝内容失实、报送滞后等问题。",
    ("全年考评工作即将进行统一汇总，请各单位于次年1月上旬前核对本单位台账，"
     "如有异议及时与区政府办公室信息室联系。"),
)


def bulletin(plans: list[UnitPlan], year: int, month: int, document: tuple[str, str]) -> str:
    """The office's commentary for a quarter-end month: the month's totals and the quarter."""
    m, q = range(month, month + 1), (month - 1) // 3
    short = short_units(plans, range(3 * q + 1, 3 * q + 4), annual=False)
    quarter = "一二三四"[q] + "季度"
    totals = (f"{month}月，全区各信息网点通过OA协同办公平台共报送政务信息{_sum(plans, m, 'info')}条，"
              f"其中专报{_sum(plans, m, 'info', 'kind', ('专报',))}篇；"
              f"被各级采用{_sum(plans, m, 'adoption')}条（次），"
              f"其中市级以上刊物采用{_sum(plans, m, 'adoption', 'by', ('市刊', '自治区刊'))}条（次）；"
              f"获领导批示{_sum(plans, m, 'instruction')}篇（次）。")
    if short:
        shortfall = (f"{quarter}，共有{len(short)}个单位的报送或采用数量未达到全年任务量的四分之一，"
                     "按照考评办法三(三)7扣减相应分值并予以通报批评，具体情况见各单位明细。")
    else:
        shortfall = f"{quarter}，各单位报送和采用数量均达到全年任务量的四分之一。"
    return "\n\n".join((f"> {LABEL}：本通报所列数字均由演示程序生成，仅用于展示系统功能。",
                        totals, shortfall, CLOSINGS[q].format(title=document[0]))) + "\n"


def notice(plans: list[UnitPlan], year: int, document: tuple[str, str]) -> str:
    """The body text of the annual notice: purpose, the year's totals, criticism and outlook."""
    y = range(1, 13)
    below = short_units(plans, y, annual=True)
    level = {lv: _sum(plans, y, "instruction", "level", (lv,)) for lv in ("区", "市", "自治区")}
    purpose = (f"为进一步提高全区政府系统政务信息工作质量，根据《{document[0]}》（{document[1]}），"
               f"区政府办公室对各街镇、各委办局及有关单位{year}年度政务信息工作进行了考评。"
               "现将有关情况通报如下。")
    totals = (f"{year}年，全区共报送政务信息{_sum(plans, y, 'info')}条，"
              f"其中专报{_sum(plans, y, 'info', 'kind', ('专报',))}篇；"
              f"被各级采用{_sum(plans, y, 'adoption')}条（次），"
              f"其中市政府刊物采用{_sum(plans, y, 'adoption', 'by', ('市刊',))}条（次），"
              f"自治区政府刊物采用{_sum(plans, y, 'adoption', 'by', ('自治区刊',))}条（次）；"
              f"获区级领导批示{level['区']}篇（次）、市级领导批示{level['市']}篇（次）、"
              f"自治区级领导批示{level['自治区']}篇（次）。"
              f"{len(plans) - len(below)}个单位全面完成年度报送采用任务。")
    outlook = (f"对未达到年度报送采用任务的{len(below)}个单位予以通报批评，"
               "区政府分管领导将对其主要负责同志进行约谈。希望各单位认真总结经验，"
               "进一步健全信息工作机制，加强信息员队伍建设，不断提高政务信息的质量和时效，"
               "为区政府科学决策提供有力支撑。")
    return "\n\n".join((f"> {LABEL}：本通报为演示用示例，单位得分和排名均由示例台账计算得出。",
                        purpose, totals, outlook)) + "\n"


# ---------------------------------------------------------------- writing

def toml_value(value: Any) -> str:
    """A TOML basic string or local date."""
    if isinstance(value, dt.date):
        return value.isoformat()
    out = []
    for ch in str(value):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\n\t":
            out.append("\\n" if ch == "\n" else "\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


TABLE_ORDER = ("info", "adoption", "instruction", "commission", "event")


def render_unit_month(plan: UnitPlan, year: int, month: int, label: bool) -> str:
    records = sorted((r for r in plan.records if r.key[0].month == month),
                     key=lambda r: (TABLE_ORDER.index(r.table), r.key))
    blocks = [f"# {LABEL}— {plan.unit['name']} {year}年{month}月\n"] if label else []
    for r in records:
        blocks.append(f"[[{r.table}]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in r.pairs))
    return "\n".join(blocks)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def generate_year(ledger_root: Path, year: int, *, seed: int = 2023,
                  units: list[dict[str, Any]] | None = None, months: range = range(1, 13),
                  label: bool = True) -> None:
    """Write ``<ledger_root>/<year>/<MM>/<unit>.toml`` for ``months``, every unit a file.

    ``units`` (dicts with id, name, category) defaults to the year's units.toml; targets and the
    rulebook's title come from its rules.toml when present. With ``label`` (the default) every
    file starts with the 示例数据 comment and the quarter-end months get a ``bulletin.md`` and
    December the year's ``notice.md``; without it only the bare records are written (benchmarks).
    """
    _generate(Path(ledger_root), year, seed, units, months, label)


def _generate(ledger_root: Path, year: int, seed: int, units: list[dict[str, Any]] | None,
              months: Any,
              label: bool) -> list[UnitPlan]:
    folder = ledger_root / f"{year:04d}"
    if units is None:
        units = _read_toml(folder / "units.toml")["unit"]
    rules = _read_toml(folder / "rules.toml")
    doc = rules.get("document", {})
    document = (doc.get("title", DEFAULT_DOCUMENT[0]), doc.get("number", DEFAULT_DOCUMENT[1]))
    plans = simulate(year, units, rules, seed)
    for month in months:
        for plan in plans:
            _write(folder / f"{month:02d}" / f"{plan.unit['id']}.toml",
                   render_unit_month(plan, year, month, label))
        if label and month % 3 == 0:
            _write(folder / f"{month:02d}" / "bulletin.md", bulletin(plans, year, month, document))
    if label and 12 in months:
        _write(folder / "notice.md", notice(plans, year, document))
    return plans


def summary(plans: list[UnitPlan]) -> list[str]:
    """Human-readable totals of a simulated year (printed by :func:`main`)."""
    y, counts = range(1, 13), tally(plans)
    lines = [(f"info {_sum(plans, y, 'info')} (专报 {_sum(plans, y, 'info', 'kind', ('专报',))}), "
              f"adoptions {_sum(plans, y, 'adoption')}, instructions {_sum(plans, y, 'instruction')}, "
              f"commissions {_sum(plans, y, 'commission')}, events {_sum(plans, y, 'event')}")]
    for cat in sorted({p.unit["category"] for p in plans}):
        group = [p for p in plans if p.unit["category"] == cat]
        sub = sum(sum(r[0] for r in counts[p.index]) for p in group) / len(group)
        ado = sum(sum(r[1] for r in counts[p.index]) for p in group) / len(group)
        lines.append(f"category {cat}: {len(group)} units, average submitted {sub:.1f}, "
                     f"adopted {ado:.1f} (targets {group[0].targets[0]}/{group[0].targets[1]})")
    lines.append("below annual target: " + "、".join(short_units(plans, y, annual=True)))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.demo",
                                     description="生成演示年度台账（示例数据）")
    parser.add_argument("--ledger", type=Path,
                        default=Path(__file__).resolve().parent.parent / "ledger")
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    plans = _generate(args.ledger, args.year, args.seed, None, range(1, 13), True)
    print(f"wrote {args.ledger / str(args.year)}: {len(plans)} units × 12 months")
    for line in summary(plans):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
