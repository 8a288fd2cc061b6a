// The server-rendered pages of the sign-in (Vietnamese with English): the password form, the
// one-time code form and the error page. Every value is HTML-escaped; nothing else happens here.
const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const hidden = (fields: ReadonlyMap<string, string>) =>
  [...fields]
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('\n');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Hồ Sơ</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#a00}.en{color:#555;font-size:.9em}</style>
</head><body><h1>Hồ Sơ</h1>${body}</body></html>`;
}

const message = (text: string | undefined) =>
  text ? `<p class="error" role="alert">${escape(text)}</p>` : '';

/** The password step; `request` holds the authorization request's parameters, posted back. */
export function passwordPage(request: ReadonlyMap<string, string>, error?: string): string {
  return page(
    'Đăng nhập',
    `<h2>Đăng nhập <span class="en">/ Sign in</span></h2>${message(error)}
<form method="post" action="authorize">
<input type="hidden" name="step" value="password">
${hidden(request)}
<label for="login">Số CCCD hoặc tên đăng nhập <span class="en">/ Citizen ID or username</span></label>
<input type="text" id="login" name="login" autocomplete="username" required>
<label for="password">Mật khẩu <span class="en">/ Password</span></label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Tiếp tục <span class="en">/ Continue</span></button>
</form>`,
  );
}

export function codePage(handle: string, error?: string): string {
  return page(
    'Mã xác thực',
    `<h2>Mã xác thực <span class="en">/ One-time code</span></h2>${message(error)}
<p>Nhập mã 6 chữ số vừa được gửi cho bạn. <span class="en">Enter the 6-digit code sent to you.</span></p>
<form method="post" action="authorize">
<input type="hidden" name="step" value="code">
<input type="hidden" name="handle" value="${escape(handle)}">
<label for="code">Mã <span class="en">/ Code</span></label>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>
<button type="submit">Đăng nhập <span class="en">/ Sign in</span></button>
</form>`,
  );
}

export function errorPage(text: string): string {
  return page(
    'Lỗi',
    `<h2>Không thể đăng nhập <span class="en">/ Sign-in is not possible</span></h2>${message(text)}`,
  );
}
