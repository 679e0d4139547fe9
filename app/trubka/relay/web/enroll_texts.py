"""The enrolment page's words, Russian and English (the page follows the browser).

Keys named after an error code are what the page says when the relay refuses a code.
"""

TEXTS = {
    "ru": {
        "title": "Подключение Трубки",
        "heading": "Подключение Трубки",
        "open": "Открыть в Трубке",
        "web": "Нет Трубки на этом компьютере? Откройте веб-версию в браузере.",
        "hint": "Трубка откроется уже подключённой: адрес сервера, добавочный и вход "
                "заполнятся сами.",
        "for_user": "Ссылка для сотрудника {name} (доб. {ext}).",
        "install": "Трубка ещё не установлена?",
        "no_downloads": "Установщики можно получить у администратора.",
        "linux_tool": "Linux без прав администратора:",
        "manual": "Подключить вручную",
        "step1": "Установите и запустите Трубку.",
        "step2": "Откройте Настройки → Подключение → «Вставить ссылку для подключения».",
        "step3": "Вставьте эту ссылку и нажмите OK.",
        "link_label": "Ссылка:",
        "incomplete": "Ссылка неполная — скопируйте её из письма целиком.",
        "offline": "Сервер не отвечает. Попробуйте открыть ссылку позже.",
        "enrollment_used": "Ссылка уже использована — попросите администратора прислать "
                           "новую.",
        "enrollment_expired": "Срок действия ссылки истёк — попросите администратора "
                              "прислать новую.",
        "enrollment_unknown": "Ссылка недействительна — попросите администратора прислать "
                              "новую.",
        "rate_limited": "Слишком много попыток. Подождите минуту и откройте ссылку снова.",
    },
    "en": {
        "title": "Connect Trubka",
        "heading": "Connect Trubka",
        "open": "Open in Trubka",
        "web": "No Trubka on this computer? Use the web version in the browser.",
        "hint": "Trubka opens already connected: relay address, extension and sign-in are "
                "filled in for you.",
        "for_user": "A link for {name} (ext. {ext}).",
        "install": "Trubka not installed yet?",
        "no_downloads": "Ask your administrator for the installer.",
        "linux_tool": "Linux without administrator rights:",
        "manual": "Connect by hand",
        "step1": "Install and start Trubka.",
        "step2": "Open Settings → Connection → “Paste enrolment link”.",
        "step3": "Paste this link and press OK.",
        "link_label": "Link:",
        "incomplete": "This link is incomplete — copy the whole link from the message.",
        "offline": "The relay does not answer. Try the link again later.",
        "enrollment_used": "This link has been used already — ask your administrator for a "
                           "new one.",
        "enrollment_expired": "This link has expired — ask your administrator for a new one.",
        "enrollment_unknown": "This link is not valid — ask your administrator for a new one.",
        "rate_limited": "Too many attempts. Wait a minute and open the link again.",
    },
}
