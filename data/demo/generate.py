#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes data/demo/demo.jsonl: jiebang's demo world, fictional organisations,
people, outputs and challenges around the seed fields (integrated circuits and
EDA, blockchain, AI, digital health, synthetic biology, green/low-carbon,
fintech, XR). Written for this project; deterministic (fixed seed).

    python3 data/demo/generate.py > data/demo/demo.jsonl
"""
import json
import random

rnd = random.Random(20261129)

ORGS = [
    # id, name, kind, region, fields, description
    ("sh-ic-univ", "沪江理工大学集成电路学院", "university", "310110", ["ic/eda", "ic/design"], "从事集成电路设计自动化、先进工艺时序分析与芯片验证的教学科研单位。"),
    ("pj-ic-lab", "浦江芯片设计自动化重点实验室", "lab", "310115", ["ic/eda", "ic/verify"], "聚焦EDA算法、物理设计与签核工具的开放实验室。"),
    ("zj-pack-inst", "张江先进封装研究院", "institute", "310115", ["ic/packaging", "ic/materials"], "研究芯粒集成、先进封装与功率半导体封装可靠性。"),
    ("jd-power-lab", "嘉定功率半导体实验室", "lab", "310114", ["ic/power", "energy/ev"], "碳化硅与氮化镓功率器件、车规级模块封装与测试。"),
    ("hp-chain-inst", "黄浦区块链应用研究所", "institute", "310101", ["blockchain/consortium", "fintech/supply-chain"], "联盟链、智能合约安全与供应链金融应用。"),
    ("lujiazui-fin-lab", "陆家嘴金融科技实验室", "lab", "310115", ["fintech/risk", "ai/ml"], "信用评估、反洗钱与隐私计算在金融风控中的应用。"),
    ("xh-ai-univ", "徐汇智能科学大学", "university", "310104", ["ai/nlp", "ai/cv"], "自然语言处理、计算机视觉与大模型研究。"),
    ("yp-robot-lab", "杨浦具身智能实验室", "lab", "310110", ["ai/robotics", "ai/cv"], "服务机器人、人形机器人运动控制与灵巧操作。"),
    ("jingan-health-inst", "静安数字健康研究院", "institute", "310106", ["health/imaging", "ai/cv"], "医学影像智能辅助诊断与多模态临床数据分析。"),
    ("ruijin-like-hosp", "申城第九人民医院", "hospital", "310101", ["health/imaging", "health/devices"], "三级甲等综合医院，影像科与康复医学科开展临床研究。"),
    ("mh-bci-lab", "闵行脑机接口实验室", "lab", "310112", ["health/bci", "health/devices"], "非侵入式脑电采集、脑机接口康复训练系统。"),
    ("lingang-synbio-inst", "临港合成生物研究院", "institute", "310115", ["synbio/chassis", "synbio/enzyme"], "底盘细胞构建、酶定向进化与生物制造工艺放大。"),
    ("sj-green-univ", "松江低碳工程大学", "university", "310117", ["energy/ccus", "energy/storage"], "碳捕集利用与封存、储能材料与系统集成。"),
    ("qp-h2-lab", "青浦氢能与燃料电池实验室", "lab", "310118", ["energy/hydrogen", "energy/storage"], "电解水制氢、燃料电池电堆与氢安全。"),
    ("sh-tto", "沪东技术转移中心", "tto", "310110", ["tech-transfer"], "高校科技成果转化、专利许可与概念验证服务。"),
    ("zj-tto", "张江科技成果转化服务中心", "tto", "310115", ["tech-transfer"], "为园区企业对接高校院所成果，组织揭榜挂帅项目。"),
    ("hz-xr-lab", "杭州扩展现实实验室", "lab", "330106", ["xr/display", "xr/reconstruction"], "近眼显示光学、三维重建与空间计算。"),
    ("nj-ic-univ", "金陵电子科技大学", "university", "320102", ["ic/design", "ic/rf"], "射频芯片、模拟集成电路与毫米波雷达芯片。"),
    ("bj-ai-inst", "京北人工智能研究院", "institute", "110108", ["ai/nlp", "ai/ml"], "大语言模型、知识图谱与可信人工智能。"),
    ("sz-chip-co", "深南芯科技有限公司", "enterprise", "440305", ["ic/design", "ic/power"], "车规级功率芯片与电源管理芯片设计企业。"),
    ("sh-auto-co", "申驰新能源汽车股份有限公司", "enterprise", "310114", ["energy/ev", "ai/robotics"], "新能源汽车整车与电驱系统制造商，专精特新企业。"),
    ("pd-bank-co", "浦东数字银行股份有限公司", "enterprise", "310115", ["fintech/risk", "fintech/supply-chain"], "服务中小企业的数字银行，供应链金融业务领先。"),
    ("sh-pharma-co", "华亭生物医药有限公司", "enterprise", "310117", ["synbio/enzyme", "health/drug"], "创新药与生物制造企业，高新技术企业。"),
    ("bs-steel-co", "宝山绿色钢铁集团", "enterprise", "310113", ["energy/ccus", "energy/hydrogen"], "大型钢铁企业，推进氢冶金与碳捕集示范。"),
    ("sh-med-device-co", "康衡医疗器械有限公司", "enterprise", "310112", ["health/devices", "health/bci"], "康复医疗器械与可穿戴设备企业。"),
    ("tw-semi-co", "新竹微系統股份有限公司", "enterprise", "710000", ["ic/packaging"], "專注晶圓級封裝與微機電系統的企業（繁體資料示例）。"),
    ("global-xr-co", "Horizon XR Technologies Ltd.", "enterprise", "310104", ["xr/display"], "An XR headset maker in Shanghai working on micro-OLED near-eye displays."),
]

FIELD_TOPICS = {
    "ic/eda": [("时序分析", "时序签核"), ("布局布线", "物理设计"), ("逻辑综合", "综合优化"), ("功耗分析", "低功耗设计")],
    "ic/design": [("模数转换器", "高速采样"), ("锁相环", "低抖动时钟"), ("存内计算", "神经网络加速")],
    "ic/verify": [("形式化验证", "等价性检查"), ("仿真加速", "硬件仿真")],
    "ic/packaging": [("芯粒互连", "先进封装"), ("晶圆级封装", "扇出型封装"), ("热管理", "散热结构")],
    "ic/power": [("碳化硅MOSFET", "功率模块"), ("氮化镓器件", "快充电源"), ("栅极驱动", "车规级可靠性")],
    "ic/rf": [("毫米波雷达芯片", "77GHz雷达"), ("射频前端", "5G通信")],
    "ic/materials": [("光刻胶", "高分辨率光刻"), ("低介电材料", "互连可靠性")],
    "blockchain/consortium": [("联盟链", "共识机制"), ("智能合约", "漏洞检测"), ("跨链", "互操作")],
    "fintech/supply-chain": [("供应链金融", "应收账款确权"), ("仓单质押", "物联网监管")],
    "fintech/risk": [("信用评估", "中小企业风控"), ("反洗钱", "异常交易检测"), ("隐私计算", "联合建模")],
    "ai/ml": [("联邦学习", "隐私保护"), ("强化学习", "调度优化"), ("图神经网络", "关系推理")],
    "ai/nlp": [("大语言模型", "领域问答"), ("知识图谱", "技术需求匹配"), ("文本分类", "专利分析")],
    "ai/cv": [("目标检测", "工业质检"), ("图像分割", "缺陷识别"), ("三维视觉", "位姿估计")],
    "ai/robotics": [("灵巧手", "抓取规划"), ("运动控制", "人形机器人"), ("协作机器人", "人机安全")],
    "health/imaging": [("医学影像", "肺结节检测"), ("影像组学", "肿瘤预后"), ("超声影像", "智能辅助诊断")],
    "health/devices": [("可穿戴设备", "心电监测"), ("康复机器人", "下肢康复"), ("体外诊断", "即时检测")],
    "health/bci": [("脑电采集", "干电极"), ("运动想象", "脑机接口康复"), ("神经反馈", "注意力训练")],
    "health/drug": [("抗体药物", "亲和力成熟"), ("药物筛选", "高通量筛选")],
    "synbio/chassis": [("底盘细胞", "大肠杆菌"), ("基因线路", "动态调控"), ("代谢工程", "产物合成")],
    "synbio/enzyme": [("酶定向进化", "催化效率"), ("蛋白质设计", "热稳定性"), ("生物制造", "发酵放大")],
    "energy/ccus": [("碳捕集", "胺吸收"), ("二氧化碳矿化", "固废利用"), ("碳足迹", "生命周期评价")],
    "energy/storage": [("固态电池", "固态电解质"), ("钠离子电池", "正极材料"), ("液流电池", "储能系统")],
    "energy/hydrogen": [("电解水制氢", "质子交换膜"), ("燃料电池", "电堆寿命"), ("氢冶金", "直接还原")],
    "energy/ev": [("动力电池", "热失控预警"), ("电驱系统", "效率优化"), ("电池回收", "梯次利用")],
    "xr/display": [("近眼显示", "光波导"), ("微显示", "Micro-OLED"), ("光场显示", "视觉舒适度")],
    "xr/reconstruction": [("三维重建", "神经辐射场"), ("空间计算", "SLAM定位")],
    "tech-transfer": [("技术转移", "专利评估"), ("成果转化", "概念验证")],
}

VERBS = ["一种基于{a}的{b}方法", "面向{b}的{a}关键技术研究", "{a}在{b}中的应用", "高效{a}与{b}系统",
         "{b}用{a}装置及其制备方法", "基于{a}的{b}平台"]
EN_TITLES = ["A {a} approach to {b}", "Scalable {a} for {b}"]
EN = {"时序分析": "timing analysis", "时序签核": "timing sign-off", "联邦学习": "federated learning",
      "隐私保护": "privacy preservation", "近眼显示": "near-eye display", "光波导": "optical waveguides",
      "碳捕集": "carbon capture", "胺吸收": "amine absorption", "大语言模型": "large language models",
      "领域问答": "domain question answering"}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范"
GIVEN = ["建华", "晓东", "丽娟", "志强", "海燕", "文博", "子涵", "思远", "明轩", "雨桐", "嘉怡", "浩然", "俊杰", "欣怡", "宇航",
         "静怡", "晨曦", "立新", "国栋", "慧敏", "伟", "娜", "敏", "磊", "洋", "艳", "勇", "军", "杰", "芳"]
TITLES = ["教授", "研究员", "副教授", "副研究员", "高级工程师", "主任医师", "技术经理"]

out = []
def emit(rec):
    out.append(json.dumps(rec, ensure_ascii=False, sort_keys=True))

for oid, name, kind, region, fields, desc in ORGS:
    rec = {"type": "org", "id": oid, "name": name, "kind": kind, "region": region, "fields": fields,
           "description": desc}
    if kind == "enterprise":
        rec["credentials"] = rnd.sample(["高新技术企业", "专精特新", "科技型中小企业"], 2)
    emit(rec)

research_orgs = [o for o in ORGS if o[2] in ("university", "lab", "institute", "hospital")]
experts = []
used = set()
for i in range(72):
    o = research_orgs[i % len(research_orgs)]
    while True:
        nm = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        if nm not in used:
            used.add(nm)
            break
    field = rnd.choice(o[4])
    topics = FIELD_TOPICS[field]
    kws = sorted({t for pair in rnd.sample(topics, min(2, len(topics))) for t in pair})
    eid = "exp-%03d" % (i + 1)
    rec = {"type": "expert", "id": eid, "name": nm, "org": o[0], "title": rnd.choice(TITLES),
           "fields": [field], "keywords": kws,
           "bio": "%s长期从事%s研究，主持国家级项目多项，在%s方面有系统积累。" % (nm, kws[0], "、".join(kws[1:]) or kws[0]),
           "outputs_count": rnd.randint(5, 120), "active_year": rnd.randint(2019, 2026)}
    experts.append((eid, o[0], field))
    emit(rec)

for i in range(240):
    eid, org, field = experts[i % len(experts)]
    a, b = rnd.choice(FIELD_TOPICS[field])
    kind = rnd.choice(["patent", "patent", "paper", "paper", "software", "prototype", "standard"])
    if i % 17 == 5 and a in EN:
        title = rnd.choice(EN_TITLES).format(a=EN[a], b=EN.get(b, b))
        lang = "en"
        abstract = "We present %s for %s, validated on industrial data from partner enterprises." % (EN[a], EN.get(b, b))
    else:
        title = rnd.choice(VERBS).format(a=a, b=b)
        lang = "zh"
        abstract = "针对%s中存在的效率与可靠性问题，提出%s新方案，实验表明关键指标提升%d%%以上。" % (b, a, rnd.randint(10, 60))
    rec = {"type": "output", "id": "out-%03d" % (i + 1), "kind": kind, "title": title, "abstract": abstract,
           "keywords": [a, b], "fields": [field], "org": org, "experts": [eid],
           "trl": rnd.randint(2, 8), "year": rnd.randint(2016, 2026), "lang": lang}
    if kind in ("patent", "prototype", "software"):
        # the asking price of a licence or transfer: 0.5 to 20 million, from the
        # index alone so that the random stream (and the rest of the world) stays
        rec["price"] = {"amount": ((i * 7919) % 40 + 1) * 500000, "currency": "USD" if lang == "en" else "CNY"}
    if kind == "patent":
        rec["ip"] = {"number": "CN%d%07dA" % (rnd.randint(2018, 2025), rnd.randint(0, 9999999)),
                     "status": rnd.choice(["granted", "pending", "licensed"]),
                     "licensing": rnd.choice(["普通许可", "独占许可可谈", "可转让"])}
    emit(rec)

CHALLENGES = [
    ("sz-chip-co", "车规级碳化硅功率模块封装可靠性提升", "现有碳化硅模块在175℃结温下功率循环寿命不足，需新型封装材料与结构。", ["ic/power", "ic/packaging"],
     [("功率循环次数", "≥100000", "次"), ("结温", "175", "℃"), ("热阻", "≤0.15", "K/W")], 4, 7, 8000000, "2027-06-30", {"org_kinds": ["university", "lab", "institute"], "max_members": 3, "regions": ["31", "32", "33"]}),
    ("sz-chip-co", "先进工艺芯片时序签核工具国产化", "7纳米以下工艺时序签核依赖国外EDA工具，需要自主可控的静态时序分析引擎。", ["ic/eda"],
     [("签核误差", "≤2", "%"), ("百万门运行时间", "≤30", "分钟")], 3, 6, 15000000, "2027-12-31", {"org_kinds": ["university", "lab"], "max_members": 4, "regions": []}),
    ("sh-auto-co", "动力电池热失控早期预警", "电池包热失控预警时间不足，需融合多源传感与算法实现提前预警。", ["energy/ev", "ai/ml"],
     [("预警提前时间", "≥30", "分钟"), ("误报率", "≤0.1", "%")], 4, 7, 5000000, "2027-03-31", {"org_kinds": ["university", "institute", "lab"], "max_members": 3, "regions": ["31"]}),
    ("sh-auto-co", "人形机器人灵巧手抓取规划", "装配产线需要人形机器人完成多品种小零件抓取，现有灵巧手成功率低。", ["ai/robotics"],
     [("抓取成功率", "≥98", "%"), ("节拍", "≤6", "秒")], 3, 6, 6000000, "2027-09-30", {"org_kinds": ["university", "lab"], "max_members": 2, "regions": []}),
    ("pd-bank-co", "中小企业供应链金融应收账款确权", "核心企业应收账款确权流程慢，需区块链与物联网结合的可信确权方案。", ["fintech/supply-chain", "blockchain/consortium"],
     [("确权时间", "≤1", "天"), ("并发交易", "≥2000", "TPS")], 5, 8, 3000000, "2027-01-31", {"org_kinds": ["university", "institute", "lab"], "max_members": 3, "regions": ["31"]}),
    ("pd-bank-co", "跨机构反洗钱联合建模", "各机构数据不出域的前提下提升可疑交易识别能力，需要隐私计算方案。", ["fintech/risk", "ai/ml"],
     [("召回率提升", "≥20", "%"), ("单次建模时间", "≤4", "小时")], 4, 7, 4000000, "2027-05-31", {"org_kinds": [], "max_members": 3, "regions": []}),
    ("sh-pharma-co", "抗体药物亲和力成熟的计算设计", "候选抗体亲和力不足，需计算与实验结合的快速亲和力成熟平台。", ["health/drug", "synbio/enzyme"],
     [("亲和力提升", "≥10", "倍"), ("周期", "≤8", "周")], 3, 6, 7000000, "2027-08-31", {"org_kinds": ["university", "institute", "hospital"], "max_members": 3, "regions": []}),
    ("sh-pharma-co", "酶催化合成工艺放大", "关键中间体酶催化工艺从实验室到百吨级放大时转化率下降。", ["synbio/enzyme", "synbio/chassis"],
     [("转化率", "≥95", "%"), ("规模", "100", "吨/年")], 4, 7, 6000000, "2027-10-31", {"org_kinds": ["institute", "university"], "max_members": 2, "regions": ["31", "32"]}),
    ("bs-steel-co", "钢铁烟气二氧化碳低能耗捕集", "高炉煤气二氧化碳捕集能耗高，需低能耗吸收剂与工艺。", ["energy/ccus"],
     [("再生能耗", "≤2.3", "GJ/t"), ("捕集率", "≥90", "%")], 4, 7, 12000000, "2027-12-31", {"org_kinds": ["university", "institute"], "max_members": 4, "regions": []}),
    ("bs-steel-co", "氢基竖炉直接还原示范", "以氢气替代焦炭进行直接还原，需解决还原效率与氢安全问题。", ["energy/hydrogen", "energy/ccus"],
     [("金属化率", "≥92", "%"), ("吨铁氢耗", "≤600", "Nm3")], 3, 6, 20000000, "2028-06-30", {"org_kinds": ["university", "lab", "institute"], "max_members": 4, "regions": []}),
    ("sh-med-device-co", "下肢康复机器人脑机接口闭环训练", "卒中患者康复训练主动参与度低，需脑电驱动的闭环康复系统。", ["health/bci", "health/devices"],
     [("运动想象识别准确率", "≥85", "%"), ("佩戴准备时间", "≤5", "分钟")], 4, 7, 4500000, "2027-04-30", {"org_kinds": ["university", "lab", "hospital"], "max_members": 3, "regions": ["31"]}),
    ("sh-med-device-co", "可穿戴心电连续监测低功耗设计", "现有贴片心电设备续航不足三天，需要低功耗采集与算法。", ["health/devices", "ic/design"],
     [("续航", "≥14", "天"), ("房颤检出灵敏度", "≥95", "%")], 5, 8, 2500000, "2027-02-28", {"org_kinds": [], "max_members": 2, "regions": []}),
    ("global-xr-co", "Lightweight waveguide optics for XR glasses", "Current waveguides lose too much light; we need an efficient, thin near-eye display optic.", ["xr/display"],
     [("optical efficiency", ">=15", "%"), ("weight", "<=60", "g")], 3, 6, 5000000, "2027-07-31", {"org_kinds": ["university", "lab"], "max_members": 2, "regions": []}),
    ("tw-semi-co", "晶圓級扇出型封裝翹曲控制", "扇出型封裝在大尺寸晶圓上翹曲嚴重，影響良率。", ["ic/packaging"],
     [("翹曲", "≤50", "μm"), ("良率", "≥99", "%")], 4, 7, 3000000, "2027-05-31", {"org_kinds": ["university", "institute", "lab"], "max_members": 3, "regions": []}),
    ("sz-chip-co", "77GHz毫米波雷达芯片低相噪锁相环", "车载雷达芯片相位噪声偏高，影响测距精度。", ["ic/rf", "ic/design"],
     [("相位噪声", "≤-90", "dBc/Hz"), ("功耗", "≤150", "mW")], 3, 6, 6000000, "2027-09-30", {"org_kinds": ["university", "lab"], "max_members": 2, "regions": []}),
    ("sh-auto-co", "退役动力电池梯次利用快速分选", "退役电池一致性差，分选效率低，需快速无损检测方法。", ["energy/ev", "energy/storage"],
     [("分选速度", "≥60", "包/小时"), ("容量估计误差", "≤3", "%")], 4, 7, 3500000, "2027-03-31", {"org_kinds": ["university", "institute"], "max_members": 3, "regions": ["31", "32", "33", "34"]}),
    ("pd-bank-co", "面向信贷审批的大语言模型可信问答", "信贷审批材料多，需要可溯源的大模型问答辅助审批。", ["ai/nlp", "fintech/risk"],
     [("答案可溯源率", "≥95", "%"), ("审批效率提升", "≥30", "%")], 3, 6, 4000000, "2027-06-30", {"org_kinds": ["university", "lab", "institute"], "max_members": 3, "regions": []}),
    ("bs-steel-co", "钢板表面缺陷在线视觉检测", "热轧钢板表面缺陷漏检导致质量投诉，需要高速在线检测。", ["ai/cv"],
     [("检出率", "≥99", "%"), ("检测速度", "≥20", "米/秒")], 5, 8, 3000000, "2027-01-31", {"org_kinds": [], "max_members": 2, "regions": []}),
    ("sh-pharma-co", "底盘细胞高产稀有人参皂苷", "稀有皂苷植物提取成本高，需合成生物学底盘细胞高效合成。", ["synbio/chassis"],
     [("产量", "≥5", "g/L"), ("发酵周期", "≤7", "天")], 3, 6, 8000000, "2027-11-30", {"org_kinds": ["university", "institute", "lab"], "max_members": 3, "regions": []}),
    ("global-xr-co", "三维重建用于工业数字孪生", "工厂数字孪生建模周期长，需要快速三维重建与轻量化。", ["xr/reconstruction", "ai/cv"],
     [("重建精度", "≤5", "mm"), ("建模时间", "≤1", "天/车间")], 4, 7, 2500000, "2027-04-30", {"org_kinds": [], "max_members": 2, "regions": []}),
    ("sh-med-device-co", "肺结节低剂量CT智能辅助诊断", "基层医院阅片能力不足，需要低剂量CT肺结节自动检出与良恶性评估。", ["health/imaging", "ai/cv"],
     [("敏感度", "≥95", "%"), ("每例假阳性", "≤1", "个")], 5, 8, 3000000, "2027-08-31", {"org_kinds": ["university", "hospital", "institute"], "max_members": 3, "regions": ["31"]}),
    ("sh-auto-co", "燃料电池重卡电堆寿命提升", "燃料电池重卡电堆衰减快，需要膜电极与运行策略改进。", ["energy/hydrogen"],
     [("电堆寿命", "≥25000", "小时"), ("衰减率", "≤10", "%")], 4, 7, 10000000, "2028-03-31", {"org_kinds": ["university", "lab", "institute"], "max_members": 4, "regions": []}),
    ("zj-tto", "园区企业技术需求智能匹配服务（草稿）", "为园区企业需求自动推荐高校成果与专家，提升对接成功率。", ["tech-transfer", "ai/nlp"],
     [("推荐命中率", "≥60", "%")], 3, 5, 1000000, "2027-12-31", {"org_kinds": [], "max_members": 2, "regions": []}),
]

for i, (org, title, problem, fields, inds, tn, tt, amount, deadline, elig) in enumerate(CHALLENGES):
    lang = "en" if org == "global-xr-co" and title[0].isascii() else "zh"
    rec = {"type": "challenge", "id": "ch-%03d" % (i + 1), "org": org, "title": title, "problem": problem,
           "description": problem + ("Applicants should show prior results and a staged plan." if lang == "en" else "揭榜方需具备相关研究基础，提出分阶段实施方案与验收指标。"),
           "indicators": [{"name": n, "target": t, "unit": u} for n, t, u in inds],
           "keywords": [w for f in fields for w in FIELD_TOPICS[f][0]],
           "fields": fields, "trl_now": tn, "trl_target": tt,
           "funding": {"amount": amount, "currency": "CNY"}, "deadline": deadline,
           "region": dict((o[0], o[3]) for o in ORGS)[org],
           "eligibility": elig, "ip_terms": "成果知识产权归双方共有，发榜方享有优先实施权。" if lang == "zh" else "Joint IP; the issuer has a right of first use.",
           "status": "draft" if "草稿" in title else ("closed" if i == 17 else "published"), "lang": lang}
    if i % 3 == 0:
        rec["confidential"] = {"budget_note": "内部预算上限可上浮20%", "contact": "技术总监办公室"}
    emit(rec)

print("\n".join(out))
