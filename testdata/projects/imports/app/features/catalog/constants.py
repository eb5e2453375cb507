from app.shared.settings import PREFIX

BASE = PREFIX + "/catalog"
