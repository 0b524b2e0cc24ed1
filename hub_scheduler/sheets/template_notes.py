"""The template's notes sheet: what each column takes, in the template's language, so that the
file explains itself to a sender who has nothing else (no `docs/`, no web page at hand)."""

from __future__ import annotations

from hub_scheduler.sheets.limits import MAX_ROWS

# column -> (Chinese, English): what to write there
COLUMN_NOTES: dict[str, tuple[str, str]] = {
    "id": (
        "车次编号，本企业内不重复；可留空，由系统生成。",
        "The load's id, unique within your enterprise; leave it empty and the system makes one.",
    ),
    "enterprise_id": (
        "本企业在白名单上的编号。企业账号导入时可留空或删去此列：各行都记为本企业，"
        "填写其他企业编号的行会被拒绝；指挥中心代为导入时必填。",
        "Your enterprise's id on the white-list. When your enterprise's account imports the "
        "sheet it may be left empty or the column left out: every row is your enterprise's, "
        "and a row naming another enterprise is refused. Required when the command centre "
        "imports for an enterprise.",
    ),
    "category": (
        "货物类别，从下拉列表中选择；医疗物资、生活必需品等优先安排。",
        "The cargo category, from the drop-down list; medical supplies and daily necessities "
        "go first.",
    ),
    "temperature": (
        "温层：冷链或常温；冷链货物只进冷链温区。",
        "The temperature class: cold or ambient; a cold load only goes to a cold zone.",
    ),
    "handling_minutes": (
        "装卸作业所需分钟数（整数，不含消杀时间）。",
        "Minutes the unloading or loading takes (a whole number, disinfection not included).",
    ),
    "release": (
        "车辆预计到达场站的日期和时间。",
        "The date and time the truck arrives at the hub.",
    ),
    "due": (
        "希望作业完成的日期和时间；晚于此时间即为延误。",
        "The date and time you wish the work to be done by; later counts as late.",
    ),
    "deadline": (
        "最晚完成时间，可不填；填写后，排不进此时间之前就不安排。",
        "The latest completion, optional; when given, no slot ends after it.",
    ),
    "priority_weight": (
        "优先级权重，一般留空：系统按货物类别和企业等级计算。",
        "The priority weight, usually empty: the system derives it from the category and your "
        "enterprise's tier.",
    ),
    "allowed_hubs": (
        "只允许前往的场站编号，多个用“;”分隔；留空表示任一场站。",
        'The only hubs the truck may go to, their ids separated by ";"; empty: any hub.',
    ),
    "vehicle_plate": ("车牌号，如 赣B12345。", "The truck's plate, e.g. 赣B12345."),
    "driver_phone": (
        "司机电话：11 位手机号，或带区号的座机。",
        "The driver's phone: an 11-digit mobile number, or a landline with its area code.",
    ),
    "has_pass": (
        "司机是否持有统一通行证：是或否。",
        "Whether the driver holds the unified pass: yes or no.",
    ),
    "test_type": ("检测类型：核酸或抗原。", "The test: pcr or antigen."),
    "test_result": ("检测结果：阴性或阳性。", "The test result: negative or positive."),
    "test_time": ("采样的日期和时间。", "The date and time the sample was taken."),
    "health_code": (
        "司机健康码：绿码、黄码或红码。",
        "The driver's health code: green, yellow or red.",
    ),
    "body_temperature_c": (
        "司机体温（℃），如 36.5。",
        "The driver's temperature in °C, e.g. 36.5.",
    ),
    "origin_lat": (
        "出发地纬度，可不填（与经度一起填写，用于估算路程）。",
        "The origin's latitude, optional (with the longitude; used for the travel time).",
    ),
    "origin_lon": (
        "出发地经度，可不填（与纬度一起填写）。",
        "The origin's longitude, optional (with the latitude).",
    ),
    "disinfection_minutes": (
        "本车所需消杀分钟数，可不填：按场站的设定。",
        "Disinfection minutes this truck needs, optional: the hub's setting otherwise.",
    ),
    "pass_valid_until": (
        "通行证有效期至（日期和时间）。",
        "The date and time the pass is valid until.",
    ),
    "transfer_to": (
        "接驳：取走本车货物的车次编号（本车卸货，那辆车随后装走）。",
        "Relay: the id of the load that takes this truck's goods onward (it comes after this "
        "truck).",
    ),
    "transfer_from": (
        "接驳：本车所装货物来自哪个车次（填那辆车的车次编号）。",
        "Relay: the id of the load whose goods this truck takes.",
    ),
    "transfer_min_gap_minutes": (
        "接驳两车之间至少间隔的分钟数（在消杀之后），可不填。",
        "At least this many minutes between the two relay trucks (after disinfection), optional.",
    ),
}

GENERAL_NOTES: dict[str, tuple[str, ...]] = {
    "zh-CN": (
        "每行一车；带 * 的列必填，其余可留空（企业账号导入时，企业编号也可留空）。",
        "时间按场站所在时区读取，如 2026/11/28 7:50；不要写 11/12/2026 这样分不清日月的形式。",
        f"一张表最多 {MAX_ROWS} 行。列名和取值也可以写英文（如 category、medical_supplies）。",
        "下表逐列说明填写方法；“导入”表第 2 行是示例，提交前请改成您的车辆或删除。",
    ),
    "en": (
        "One truck per row; the columns marked * are required, the others may be left empty "
        "(an enterprise importing its own sheet may leave the enterprise id empty too).",
        "Times are read in the hub's time zone, e.g. 2026/11/28 7:50; do not write 11/12/2026, "
        "where the day and the month cannot be told apart.",
        f"At most {MAX_ROWS} rows per sheet. Headers and values may also be written in Chinese "
        "(货物类别, 医疗物资).",
        "The table below explains each column; row 2 of the Import sheet is an example: change "
        "it to your truck or delete it before you submit.",
    ),
}

# The notes table's header and the two sheets' names.
WORDS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "import": "导入",
        "notes": "说明",
        "column": "列名",
        "required": "必填",
        "yes": "是",
        "what": "填写说明",
        "example": "示例",
        "pick": "请从列表中选择",
    },
    "en": {
        "import": "Import",
        "notes": "Notes",
        "column": "Column",
        "required": "Required",
        "yes": "yes",
        "what": "What to write",
        "example": "Example",
        "pick": "Choose from the list",
    },
}
