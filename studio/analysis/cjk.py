"""Chinese, Japanese and Korean sounds: syllables by character, rhyme keys by final vowel.

Chinese rhymes use the pinyin final (韵母) from pypinyin, merged into the rhyme groups that
pop lyrics commonly treat as rhyming (see FINAL_GROUPS). Japanese rhymes on the vowel of the last
kana, Korean on the vowel and final consonant of the last syllable block.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Ideographs (with extension A, compatibility and the supplementary planes), kana and hangul.
CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Small kana that join the kana before them into one mora (きゃ = kya); small tsu (っ) does not.
_JOINING_KANA = set("ぁぃぅぇぉゃゅょゎゕゖァィゥェォャュョヮヵヶ")
_NOT_MORA = _JOINING_KANA | set("\u3099\u309a゛゜゠・")  # voicing marks and dots are silent
_MORA_MARKS = set("っッー")  # a pause or a long vowel: their own beat, but no vowel of their own

# Pinyin finals (pypinyin strict style: ü is 'v') merged into the groups that rhyme in common
# practice, close to the thirteen rhyme groups (十三辙) of popular song but keeping ong apart:
# the medial i/u/ü is ignored, front and back nasals (-n/-ng) after e and i are not told apart.
FINAL_GROUPS: dict[str, tuple[str, ...]] = {
    "a": ("a", "ia", "ua"),  # 花 家 他
    "o": ("o", "uo", "e"),  # 我 歌 多
    "ie": ("ie", "ve"),  # 夜 月
    "ai": ("ai", "uai"),  # 爱 怀
    "ei": ("ei", "uei"),  # 飞 回
    "ao": ("ao", "iao"),  # 好 笑
    "ou": ("ou", "iou"),  # 走 留
    "an": ("an", "ian", "uan", "van"),  # 山 天 船 远
    "en": ("en", "in", "uen", "vn", "eng", "ing", "ueng"),  # 人 心 春 云 风 明
    "ang": ("ang", "iang", "uang"),  # 方 香 光
    "ong": ("ong", "iong"),  # 中 熊
    "i": ("i", "v"),  # 衣 你 雨 (i not after z c s zh ch sh r, see below)
    "u": ("u",),  # 路 哭
    "er": ("er",),  # 儿 耳
}
_GROUP_OF = {final: key for key, finals in FINAL_GROUPS.items() for final in finals}
# After these initials "i" is the buzzed apical vowel (字 吃 日), which does not rhyme with 衣.
_APICAL = re.compile(r"(?:[zcs]h?|r)i")
APICAL_KEY = "-i"

# Common characters, roughly by frequency, then characters songs often rhyme on.
_COMMON_CHARS = """
的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过
发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本
前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很
最重并物手应战向头文体政美相见被利什二等产或新己制身果加西月话合回特代内信表化老给世位次度门
任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活更别打女变四神总何电数安
少报才结反受目太量再感建务做接必场件计管期市直资命山金指许统区保至队形社便空决治展马科司五基
眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望
觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士
证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花华城石级整府离况
请技际约示复病息究线似官火断精满支视消越器容照须九增研写称八功吗包片史委乎查轻易早曾除农找装
广显吧李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节
土投某案黑维革划敢歌唱梦泪雨云夜星蓝雪春秋冬夏河涯霞画鸟舞酒杯醉归乡窗灯桥街恨伤痛哭等待忘忆
永温柔孤寂寞青啊呀拿妈怕沙纱瓜夸挂假嫁牙芽鸭朵坐破波坡喝哥个课底米泥奇鱼聚绿曲怀外孩埋该谁追
给跑草掉飘友留久秋甜烟脸船晚暖弯玩圆愿园吻问魂尘阵冷静停醒冰香墙江凉亮狂黄忙懂浓龙松钟送熊穷
苦树雾读福湖故诗纸池丝词谢蝶血叶姐缺绝耳
"""
_COMMON_WORDS = """
世界 时间 永远 未来 梦想 回忆 眼泪 天空 星星 月亮 太阳 城市 故事 青春 温柔 自由 孤单 勇敢 远方 方向
希望 微笑 拥抱 离开 等待 心跳 感觉 记忆 声音 黑夜 明天 昨天 春天 夏天 秋天 冬天 花开 海洋 阳光 月光
时光 天堂 地方 家乡 故乡 回家 天涯 晚霞 烟花 浪花 童话 说话 牵挂 长大 风景 爱情 心情 眼睛 安静 约定
命运 旅行 相信 光明 人生 灵魂 生命 天边 身边 思念 从前 歌声 风雨 雪花 快乐 寂寞 沉默 执着 花朵 灯火
告别 岁月 季节 雨季 美丽 秘密 呼吸 天气 勇气 距离 脚步 幸福 孤独 道路 答案 夜晚 心愿 誓言 梦中 彩虹
"""


def mora_count(text: str) -> int:
    """Characters sung as one beat each: ideographs, kana (not joining small kana), hangul."""
    return sum(1 for ch in CJK.findall(text) if ch not in _NOT_MORA)


@cache
def _pinyin_module():  # -> the pypinyin module, imported once on first use
    """pypinyin, imported lazily: it loads a large dictionary."""
    import pypinyin

    return pypinyin


def pinyin_final(text: str) -> str | None:
    """The strict pinyin final of the last Han character, in context (花 -> 'ua', 女 -> 'v')."""
    han = _HAN.findall(text)
    if not han:
        return None
    py = _pinyin_module()
    context = "".join(han[-4:])  # the last characters, so phrases pick the right reading
    final = py.lazy_pinyin(context, style=py.Style.FINALS, strict=True)[-1]
    if final == "i":
        syllable = py.lazy_pinyin(context, style=py.Style.NORMAL)[-1]
        return APICAL_KEY if _APICAL.fullmatch(syllable) else "i"
    return final or py.lazy_pinyin(context, style=py.Style.NORMAL)[-1]  # 嗯 'n' has no final


def chinese_rhyme(text: str) -> str | None:
    """The rhyme group of the last Han character's final (光 and 方 -> 'ang'), or None."""
    final = pinyin_final(text)
    return None if final is None else _GROUP_OF.get(final, final)


def japanese_rhyme(text: str) -> str | None:
    """The vowel of the last kana ('a' for か), 'n' for ん; a final kanji is its own key."""
    chars = [
        ch
        for ch in CJK.findall(text)
        if _HAN.match(ch) or ("LETTER" in unicodedata.name(ch, "") and ch not in _MORA_MARKS)
    ]
    if not chars:
        return None
    last = chars[-1]
    if _HAN.match(last):
        return last  # its reading is unknown here: it rhymes only with the same kanji
    return unicodedata.name(last).rsplit(" ", 1)[-1][-1].lower()


def korean_rhyme(text: str) -> str | None:
    """The vowel and final consonant of the last hangul syllable (사랑 -> 'ㅏㅇ'), or None."""
    blocks = [ch for ch in text if "\uac00" <= ch <= "\ud7a3"]
    if not blocks:
        return None
    index = ord(blocks[-1]) - 0xAC00
    vowel, tail = divmod(index % 588, 28)
    vowels = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
    tails = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
    return (vowels[vowel] + tails[tail]).strip()


@cache
def _chinese_candidates() -> tuple[tuple[str, str], ...]:
    """(candidate, rhyme key) for the built-in common characters and words, in list order."""
    chars = dict.fromkeys(_HAN.findall(_COMMON_CHARS))
    words = dict.fromkeys(_COMMON_WORDS.split())
    return tuple((c, key) for c in [*chars, *words] if (key := chinese_rhyme(c)) is not None)


def chinese_rhymes(text: str) -> dict[int, list[str]]:
    """Common characters (group 1) and two-character words (group 2) rhyming with the text."""
    key = chinese_rhyme(text)
    if key is None:
        return {}
    last = _HAN.findall(text)[-1]
    groups: dict[int, list[str]] = {}
    for candidate, candidate_key in _chinese_candidates():
        if candidate_key == key and candidate[-1] != last:  # not the same character again
            groups.setdefault(len(candidate), []).append(candidate)
    return groups
