"""Chinese labels of the union profile's fields, shared by the GUI and the command line."""

PROFILE_LABELS = {
    "name": "工会名称",
    "unit_name": "所在单位",
    "chair": "工会主席",
    "handler": "经办人",
    "province": "所在省份",
    "phone": "联系电话",
    "address": "地址",
}
