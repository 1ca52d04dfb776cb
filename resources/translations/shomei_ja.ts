<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
  <context>
    <name>AppearancePreview</name>
    <message>
      <location filename="../../desktop/appearance_preview.py" line="102" />
      <source>Signature appearance preview</source>
      <translation>署名の外観のプレビュー</translation>
    </message>
    <message>
      <location filename="../../desktop/appearance_preview.py" line="164" />
      <source>Draw a box on the page to see the signature.</source>
      <translation>ページ上に枠を描くと、署名の見た目がここに表示されます。</translation>
    </message>
  </context>
  <context>
    <name>BatchView</name>
    <message>
      <location filename="../../desktop/batch.py" line="215" />
      <source>Filter by name, signer or note</source>
      <translation>ファイル名・署名者・注記で絞り込み</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="216" />
      <source>Filter</source>
      <translation>絞り込み</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="220" />
      <source>Show</source>
      <translation>表示</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="221" />
      <source>All files</source>
      <translation>すべてのファイル</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="222" />
      <source>Only problems</source>
      <translation>問題のあるものだけ</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="223" />
      <source>Only valid</source>
      <translation>有効なものだけ</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="229" />
      <source>Validation results</source>
      <translation>検証結果</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="241" />
      <source>Progress</source>
      <translation>進行状況</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="243" />
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="249" />
      <source>Save report (PDF)…</source>
      <translation>レポートを保存（PDF）…</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="250" />
      <source>Save ETSI report (XML)…</source>
      <translation>ETSI レポートを保存（XML）…</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="251" />
      <source>Save JSON…</source>
      <translation>JSON を保存…</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="257" />
      <source>One report for the files shown in the table</source>
      <translation>表に表示中のファイルをまとめて 1 つのレポートに保存します</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="309" />
      <source>cancelled</source>
      <translation>キャンセルしました</translation>
    </message>
  </context>
  <context>
    <name>DropZone</name>
    <message>
      <location filename="../../desktop/home.py" line="56" />
      <source>Drop PDF files or folders here</source>
      <translation>ここに PDF ファイルまたはフォルダーをドロップ</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="64" />
      <source>Signed files are checked first. Press Enter to choose files instead.</source>
      <translation>署名済みのファイルはまず検証されます。Enter キーでファイルを選ぶこともできます。</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="72" />
      <source>Drop zone</source>
      <translation>ドロップ領域</translation>
    </message>
  </context>
  <context>
    <name>GuiConfirm</name>
    <message>
      <location filename="../../desktop/confirm_dialog.py" line="32" />
      <source>Before signing</source>
      <translation>署名の前に</translation>
    </message>
    <message>
      <location filename="../../desktop/confirm_dialog.py" line="34" />
      <source>Sign anyway?</source>
      <translation>このまま署名しますか？</translation>
    </message>
    <message>
      <location filename="../../desktop/confirm_dialog.py" line="39" />
      <source>Sign</source>
      <translation>署名する</translation>
    </message>
  </context>
  <context>
    <name>HomeView</name>
    <message>
      <location filename="../../desktop/home.py" line="137" />
      <source>Sign, seal and check PDF documents</source>
      <translation>PDF 文書の署名・押印（eシール）・検証</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="150" />
      <source>&amp;Open…</source>
      <translation>開く(&amp;O)…</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="151" />
      <source>&amp;Sign…</source>
      <translation>署名(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="152" />
      <source>S&amp;eal…</source>
      <translation>eシール(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="153" />
      <source>&amp;Validate…</source>
      <translation>検証(&amp;V)…</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="154" />
      <source>Open PDF files to check them</source>
      <translation>PDF ファイルを開いて検証します</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="155" />
      <source>Sign a PDF as a person</source>
      <translation>個人として PDF に署名します</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="156" />
      <source>Seal a PDF for an organisation</source>
      <translation>組織として PDF に eシールを付けます</translation>
    </message>
    <message>
      <location filename="../../desktop/home.py" line="157" />
      <source>Check the signatures of PDF files</source>
      <translation>PDF ファイルの署名を検証します</translation>
    </message>
  </context>
  <context>
    <name>KeyChooser</name>
    <message>
      <location filename="../../desktop/key_chooser.py" line="31" />
      <source>Key</source>
      <translation>鍵</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="37" />
      <source>Key type</source>
      <translation>鍵の種類</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="38" />
      <source>Key file (PKCS#12)</source>
      <translation>鍵ファイル（PKCS#12）</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="39" />
      <source>Smart card or token</source>
      <translation>IC カードまたはトークン</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="40" />
      <source>Remote signing service</source>
      <translation>リモート署名サービス</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="41" />
      <source>Type:</source>
      <translation>種類：</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="43" />
      <source>Key file</source>
      <translation>鍵ファイル</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="44" />
      <source>Browse…</source>
      <translation>参照…</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="47" />
      <source>File:</source>
      <translation>ファイル：</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="49" />
      <source>Token and certificate</source>
      <translation>トークンと証明書</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="50" />
      <source>Find tokens</source>
      <translation>トークンを探す</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="54" />
      <source>Token:</source>
      <translation>トークン：</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="56" />
      <source>Service address</source>
      <translation>サービスのアドレス</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="58" />
      <source>Service:</source>
      <translation>サービス：</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="60" />
      <source>Credential ID</source>
      <translation>クレデンシャル ID</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="61" />
      <source>Credential:</source>
      <translation>クレデンシャル：</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="84" />
      <source>Choose a key file</source>
      <translation>鍵ファイルを選択</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="84" />
      <source>Key files (*.p12 *.pfx)</source>
      <translation>鍵ファイル (*.p12 *.pfx)</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="105" />
      <source>%1: signing key (its certificate is shown after the PIN)</source>
      <translation>%1：署名用の鍵（証明書は PIN 入力後に表示されます）</translation>
    </message>
    <message>
      <location filename="../../desktop/key_chooser.py" line="109" />
      <source>No token found.</source>
      <translation>トークンが見つかりませんでした。</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../desktop/main_window.py" line="83" />
      <source>Shomei</source>
      <translation>Shomei</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="94" />
      <source>← Back</source>
      <translation>← 戻る</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="97" />
      <source>Home</source>
      <translation>ホーム</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="134" />
      <source>&amp;File</source>
      <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="136" />
      <source>&amp;Open…</source>
      <translation>開く(&amp;O)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="138" />
      <source>&amp;Sign…</source>
      <translation>署名(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="139" />
      <source>S&amp;eal…</source>
      <translation>eシール(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="143" />
      <source>Se&amp;ttings…</source>
      <translation>設定(&amp;T)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="148" />
      <source>&amp;Quit</source>
      <translation>終了(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="149" />
      <source>&amp;View</source>
      <translation>表示(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="150" />
      <source>&amp;Back</source>
      <translation>戻る(&amp;B)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="151" />
      <source>&amp;Home</source>
      <translation>ホーム(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="152" />
      <source>&amp;Help</source>
      <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="153" />
      <source>Show the &amp;log folder</source>
      <translation>ログフォルダーを開く(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="154" />
      <source>&amp;About Shomei</source>
      <translation>Shomei について(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="295" />
      <source>Open PDF files</source>
      <translation>PDF ファイルを開く</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="314" />
      <source>Looking for PDF files…</source>
      <translation>PDF ファイルを探しています…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="331" />
      <source>Checking %1…</source>
      <translation>%1 を検証しています…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="350" />
      <source>This document has no signatures yet.</source>
      <translation>この文書にはまだ署名がありません。</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="438" />
      <source>No PDF files were found there.</source>
      <translation>PDF ファイルが見つかりませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="513" />
      <source>validation-report</source>
      <translation>検証レポート</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="527" />
      <source>Save the report</source>
      <translation>レポートを保存</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="533" />
      <source>Saved %1</source>
      <translation>%1 を保存しました</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="543" />
      <source>Choose the PDF to sign</source>
      <translation>署名する PDF を選択</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="605" />
      <source>About Shomei</source>
      <translation>Shomei について</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="607" />
      <source>Shomei %1: sign, seal and check PDF documents, with EU and Japanese trust.</source>
      <translation>Shomei %1：EU と日本のトラストに基づいて PDF 文書に署名・eシールを付け、検証します。</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="147" />
      <source>Open &amp;Recent</source>
      <translation>最近使ったファイル(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="214" />
      <source>%1 (missing)</source>
      <translation>%1（見つかりません）</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="225" />
      <source>&amp;Clear the list</source>
      <translation>履歴を消去(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="235" />
      <source>%1 is no longer there.</source>
      <translation>%1 が見つかりません。</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="705" />
      <source>Quit Shomei</source>
      <translation>Shomei を終了</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="706" />
      <source>Work is still running.</source>
      <translation>処理がまだ実行中です。</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="708" />
      <source>Quitting now cancels it: a signature being made is not saved.</source>
      <translation>今終了すると処理はキャンセルされます。作成中の署名は保存されません。</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="711" />
      <source>Cancel it and &amp;quit</source>
      <translation>キャンセルして終了(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="713" />
      <source>&amp;Keep working</source>
      <translation>処理を続ける(&amp;K)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="733" />
      <source>Cancelling…</source>
      <translation>キャンセルしています…</translation>
    </message>
  </context>
  <context>
    <name>PagePreview</name>
    <message>
      <location filename="../../desktop/page_preview.py" line="41" />
      <source>Page preview: drag a rectangle to place the signature; drag it to move it, drag its sides to resize it</source>
      <translation>ページのプレビュー：ドラッグして署名の位置を指定します。枠はドラッグで移動し、辺や角のドラッグで大きさを変えられます</translation>
    </message>
    <message>
      <location filename="../../desktop/page_preview.py" line="143" />
      <source>No document</source>
      <translation>文書がありません</translation>
    </message>
  </context>
  <context>
    <name>SecretDialog</name>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="31" />
      <source>Shomei</source>
      <translation>Shomei</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="74" />
      <source>Key file password</source>
      <translation>鍵ファイルのパスワード</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="75" />
      <source>PIN</source>
      <translation>PIN</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="76" />
      <source>Signature PIN</source>
      <translation>署名用 PIN</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="77" />
      <source>Document password</source>
      <translation>文書のパスワード</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="78" />
      <source>One-time password</source>
      <translation>ワンタイムパスワード</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="79" />
      <source>Proxy password</source>
      <translation>プロキシのパスワード</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="84" />
      <source>Enter the %1 for %2:</source>
      <translation>%2 の%1を入力してください：</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="89" />
      <source>That was not accepted. Try again.</source>
      <translation>受け付けられませんでした。もう一度入力してください。</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="94" />
      <source>The PIN is locked. Unblock the card with its PUK.</source>
      <translation>PIN がロックされています。PUK でカードのロックを解除してください。</translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="96" />
      <source>Last try: a wrong PIN now locks the card.</source>
      <translation>最後の試行です。間違えるとカードがロックされます。</translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/secret_dialog.py" line="98" />
      <source>%n tries left.</source>
      <translation>
        <numerusform>残り %n 回です。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../desktop/secret_dialog.py" line="100" />
      <source>Few tries are left before the card locks.</source>
      <translation>カードがロックされるまでの残り回数がわずかです。</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="75" />
      <source>Validation</source>
      <translation>検証</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="345" />
      <source>Validation time</source>
      <translation>検証時刻</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="347" />
      <source>Now (the current time)</source>
      <translation>現在（今の日時）</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="349" />
      <source>As of a date and time you choose (UTC):</source>
      <translation>指定した日時の時点（UTC）：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="356" />
      <source>Validation time (UTC)</source>
      <translation>検証時刻（UTC）</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="374" />
      <source>Certificates, revocation and the trusted lists are judged as they were at that time: use it to check a signature as of a past date. Every verdict and report then states the time chosen. It lasts until Shomei is closed.</source>
      <translation>証明書、失効情報、トラストリストはその時点の状態で判断します。過去の日時の時点で署名を確認するときに使います。検証結果とレポートには指定した日時が必ず表示されます。この設定はShomeiを終了するまで有効です。</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="62" />
      <source>Settings</source>
      <translation>設定</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="70" />
      <source>General</source>
      <translation>一般</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="71" />
      <source>Timestamps</source>
      <translation>タイムスタンプ</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="72" />
      <source>Trust</source>
      <translation>トラスト</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="73" />
      <source>Network</source>
      <translation>ネットワーク</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="74" />
      <source>Tokens</source>
      <translation>トークン</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="75" />
      <source>Appearance</source>
      <translation>外観</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="92" />
      <source>Language</source>
      <translation>言語</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="93" />
      <source>Same as the system</source>
      <translation>システムと同じ</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="97" />
      <source>Language:</source>
      <translation>言語：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="99" />
      <source>Default level</source>
      <translation>既定のレベル</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="103" />
      <source>Default level:</source>
      <translation>既定のレベル：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="105" />
      <source>B-T adds a timestamp; B-LT adds what is needed to check it later; B-LTA keeps it checkable for the long term.</source>
      <translation>B-T はタイムスタンプを付けます。B-LT は後で検証するための情報を加えます。B-LTA は長期にわたり検証できる状態を保ちます。</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="118" />
      <source>★ marks the server the sign screen chooses. When the chosen server does not answer, the ticked servers are asked in turn, in this order.</source>
      <translation>★ は署名画面で選ばれるサーバーです。選んだサーバーが応答しないときは、チェックしたサーバーにこの順で問い合わせます。</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="126" />
      <source>Timestamp servers</source>
      <translation>タイムスタンプサーバー</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="132" />
      <source>Name</source>
      <translation>名前</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="133" />
      <source>Server name</source>
      <translation>サーバー名</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="136" />
      <source>Server address</source>
      <translation>サーバーのアドレス</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="137" />
      <source>Add</source>
      <translation>追加</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="144" />
      <source>Remove</source>
      <translation>削除</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="146" />
      <source>Use by default</source>
      <translation>既定にする</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="148" />
      <source>Move up</source>
      <translation>上へ</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="150" />
      <source>Move down</source>
      <translation>下へ</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="152" />
      <source>Test</source>
      <translation>テスト</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="179" />
      <source>Enter an address starting with http:// or https://.</source>
      <translation>http:// または https:// で始まるアドレスを入力してください。</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="224" />
      <source>Choose a server to test.</source>
      <translation>テストするサーバーを選んでください。</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="228" />
      <source>Testing %1…</source>
      <translation>%1 をテストしています…</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="245" />
      <source>Use the EU trusted lists</source>
      <translation>EU トラストリストを使う</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="249" />
      <source>Territories</source>
      <translation>国・地域</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="264" />
      <source>Use the Japanese trust list</source>
      <translation>日本のトラストリストを使う</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="268" />
      <source>Japanese list update URL (default)</source>
      <translation>日本のリストの更新 URL（既定）</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="269" />
      <source>Japanese list update URL</source>
      <translation>日本のリストの更新 URL</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="274" />
      <source>Trusted-list mirror (none)</source>
      <translation>トラストリストのミラー（なし）</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="275" />
      <source>Trusted-list mirror</source>
      <translation>トラストリストのミラー</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="277" />
      <source>The EU national lists are downloaded from BASE/{territory}/{file} (or from a URL with {territory} and {file} in it).</source>
      <translation>EU 各国のリストは BASE/{territory}/{file} からダウンロードします（{territory} と {file} を含む URL も指定できます）。</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="286" />
      <source>List of trusted lists URL (official)</source>
      <translation>トラストリストのリスト（LOTL）の URL（公式）</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="287" />
      <source>List of trusted lists URL</source>
      <translation>トラストリストのリスト（LOTL）の URL</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="292" />
      <source>Refresh now</source>
      <translation>今すぐ更新</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="294" />
      <source>Status:</source>
      <translation>状態：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="299" />
      <source>Trust list status</source>
      <translation>トラストリストの状態</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="302" />
      <source>List</source>
      <translation>リスト</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="303" />
      <source>Anchors</source>
      <translation>アンカー数</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="304" />
      <source>Last update</source>
      <translation>最終更新</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="305" />
      <source>Next update</source>
      <translation>次回更新</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="306" />
      <source>Problem</source>
      <translation>問題</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="318" />
      <source>My trusted certificates</source>
      <translation>自分で信頼する証明書</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="324" />
      <source>Add…</source>
      <translation>追加…</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="394" />
      <source>Refreshing the trusted lists…</source>
      <translation>トラストリストを更新しています…</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="404" />
      <source>Choose certificates</source>
      <translation>証明書を選択</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="406" />
      <source>Certificates (*.pem *.crt *.cer *.der)</source>
      <translation>証明書 (*.pem *.crt *.cer *.der)</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="413" />
      <source>No proxy</source>
      <translation>プロキシを使わない</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="414" />
      <source>Use the system proxy settings</source>
      <translation>システムのプロキシ設定を使う</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="415" />
      <source>Manual proxy:</source>
      <translation>手動でプロキシを設定：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="426" />
      <source>Proxy host</source>
      <translation>プロキシのホスト</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="430" />
      <source>Proxy port</source>
      <translation>プロキシのポート</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="432" />
      <source>Proxy user name</source>
      <translation>プロキシのユーザー名</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="433" />
      <source>Host:</source>
      <translation>ホスト：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="434" />
      <source>Port:</source>
      <translation>ポート：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="435" />
      <source>User name:</source>
      <translation>ユーザー名：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="436" />
      <source>The proxy password is asked for when needed and never stored.</source>
      <translation>プロキシのパスワードは必要なときに尋ね、保存しません。</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="441" />
      <source> s</source>
      <translation> 秒</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="443" />
      <source>Network timeout</source>
      <translation>ネットワークのタイムアウト</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="444" />
      <source>Timeout:</source>
      <translation>タイムアウト：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="453" />
      <source>PKCS#11 modules (smart card drivers):</source>
      <translation>PKCS#11 モジュール（IC カードのドライバー）：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="454" />
      <source>PKCS#11 modules</source>
      <translation>PKCS#11 モジュール</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="461" />
      <source>Detect</source>
      <translation>検出</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="474" />
      <source>Choose a PKCS#11 module</source>
      <translation>PKCS#11 モジュールを選択</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="474" />
      <source>Libraries (*.so *.dylib *.dll)</source>
      <translation>ライブラリ (*.so *.dylib *.dll)</translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/settings_dialog.py" line="484" />
      <source>%n module(s) found.</source>
      <translation>
        <numerusform>%n 個のモジュールが見つかりました。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="496" />
      <source>Appearance presets</source>
      <translation>外観のプリセット</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="504" />
      <source>Preset name</source>
      <translation>プリセット名</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="506" />
      <source>Preset text</source>
      <translation>プリセットの文字</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="510" />
      <source>Preset image</source>
      <translation>プリセットの画像</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="511" />
      <source>Name:</source>
      <translation>名前：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="515" />
      <source>Text:</source>
      <translation>文字：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="516" />
      <source>Image / hanko:</source>
      <translation>画像／印影：</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="518" />
      <source>{signer} is the signer's name, {date} the signing time (Insert field).</source>
      <translation>{signer} は署名者の名前、{date} は署名日時に置き換わります（「項目を挿入」から選べます）。</translation>
    </message>
    <message>
      <location filename="../../desktop/settings_dialog.py" line="524" />
      <source>Save preset</source>
      <translation>プリセットを保存</translation>
    </message>
  </context>
  <context>
    <name>SignView</name>
    <message>
      <location filename="../../desktop/sign_view.py" line="132" />
      <source>Previous page</source>
      <translation>前のページ</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="133" />
      <source>Next page</source>
      <translation>次のページ</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="135" />
      <source>Page</source>
      <translation>ページ</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="139" />
      <source>Zoom</source>
      <translation>拡大率</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="141" />
      <source>Fit</source>
      <translation>全体表示</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="155" />
      <source>Drag a rectangle on the page to place the signature (Enter: default place); drag the box to move it, its sides or corners to resize it.</source>
      <translation>ページ上でドラッグして署名の位置を指定します（Enter キー：既定の位置）。枠はドラッグで移動し、辺や角のドラッグで大きさを変えられます。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="590" />
      <source>Text size: %1 pt. Too small: under %2 pt the signature is refused. Make the box larger.</source>
      <translation>文字の大きさ：%1 pt。小さすぎます：%2 pt 未満では署名できません。枠を大きくしてください。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="596" />
      <source>Text size: %1 pt. Small: under %2 pt it may be hard to read. Make the box larger.</source>
      <translation>文字の大きさ：%1 pt。小さめです：%2 pt 未満では読みにくいことがあります。枠を大きくしてください。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="601" />
      <source>Text size: %1 pt.</source>
      <translation>文字の大きさ：%1 pt。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="621" />
      <source>The signature box is too small: its text would be %1 pt, under the %2 pt minimum. Make the box larger.</source>
      <translation>署名の枠が小さすぎます：文字が %1 pt になり、最小の %2 pt を下回ります。枠を大きくしてください。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="183" />
      <source>Placement</source>
      <translation>配置</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="185" />
      <source>Visible, where I drew it on the page</source>
      <translation>表示する（ページ上で指定した位置）</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="186" />
      <source>Visible, in an empty signature field:</source>
      <translation>表示する（空の署名フィールド）：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="187" />
      <source>Invisible</source>
      <translation>表示しない</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="193" />
      <source>Empty signature field</source>
      <translation>空の署名フィールド</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="200" />
      <source>Place at the bottom right</source>
      <translation>右下に配置</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="206" />
      <source>Appearance</source>
      <translation>外観</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="209" />
      <source>Appearance preset</source>
      <translation>外観のプリセット</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="221" />
      <source>Preset:</source>
      <translation>プリセット：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="223" />
      <source>Text</source>
      <translation>文字</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="230" />
      <source>Text:</source>
      <translation>文字：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="232" />
      <source>Image or hanko</source>
      <translation>画像または印影</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="233" />
      <source>Browse…</source>
      <translation>参照…</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="238" />
      <source>Image / hanko:</source>
      <translation>画像／印影：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="247" />
      <source>Options</source>
      <translation>オプション</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="258" />
      <source>Level</source>
      <translation>レベル</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="261" />
      <source>Level:</source>
      <translation>レベル：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="272" />
      <source>Timestamp server</source>
      <translation>タイムスタンプサーバー</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="278" />
      <source>Timestamp server:</source>
      <translation>タイムスタンプサーバー：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="290" />
      <source>Reason</source>
      <translation>理由</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="291" />
      <source>Reason:</source>
      <translation>理由：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="293" />
      <source>Location</source>
      <translation>場所</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="294" />
      <source>Location:</source>
      <translation>場所：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="296" />
      <source>Contact</source>
      <translation>連絡先</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="297" />
      <source>Contact:</source>
      <translation>連絡先：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="301" />
      <source>Certify</source>
      <translation>文書の証明</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="304" />
      <source>No: an approval signature</source>
      <translation>しない（承認署名）</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="305" />
      <source>Yes, allowing no changes</source>
      <translation>する：変更を許可しない</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="306" />
      <source>Yes, allowing form filling</source>
      <translation>する：フォーム入力を許可</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="307" />
      <source>Yes, allowing form filling and comments</source>
      <translation>する：フォーム入力と注釈を許可</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="310" />
      <source>Certify:</source>
      <translation>文書の証明：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="314" />
      <source>Save as</source>
      <translation>保存先</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="320" />
      <source>Save as:</source>
      <translation>保存先：</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="325" />
      <source>Back</source>
      <translation>戻る</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="328" />
      <source>Progress</source>
      <translation>進行状況</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="331" />
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="334" />
      <source>Sign</source>
      <translation>署名</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="425" />
      <source>Open the file</source>
      <translation>ファイルを開く</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="426" />
      <source>Open its folder</source>
      <translation>フォルダーを開く</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="427" />
      <source>Done</source>
      <translation>完了</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="449" />
      <source>A signature is being made; %1 opens when it is done or cancelled.</source>
      <translation>署名を作成中です。完了またはキャンセルの後に %1 を開きます。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="460" />
      <source>of %1</source>
      <translation>/ %1</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="463" />
      <source>Seal: on behalf of the organisation named in the certificate.</source>
      <translation>eシール：証明書に記載された組織として付けます。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="465" />
      <source>Signature: in your own name.</source>
      <translation>署名：あなた自身の名前で署名します。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="467" />
      <source>Seal</source>
      <translation>eシール</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="494" />
      <source>No timestamp server answered the last test: B-B</source>
      <translation>前回のテストでタイムスタンプサーバーが応答しなかったため B-B にしています</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="503" />
      <source>%1 (page %2)</source>
      <translation>%1（%2 ページ）</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="514" />
      <source>Only the first signature of a document can certify it.</source>
      <translation>文書を証明できるのは最初の署名だけです。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="519" />
      <source>No box drawn yet.</source>
      <translation>まだ位置が指定されていません。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="523" />
      <source>Page %1: %2 × %3 pt at (%4, %5) from the bottom left.</source>
      <translation>%1 ページ：%2 × %3 pt、左下から x=%4、y=%5 pt の位置。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="555" />
      <source>Choose an image</source>
      <translation>画像を選択</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="555" />
      <source>Images (*.png *.jpg *.jpeg)</source>
      <translation>画像 (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="562" />
      <source>Save the signed file as</source>
      <translation>署名済みファイルの保存先</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="569" />
      <source>Seal on behalf of: %1</source>
      <translation>eシールを付ける組織：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="597" />
      <source>If it does not answer: %1</source>
      <translation>応答しないとき：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="635" />
      <source>Choose where to save the signed file.</source>
      <translation>署名済みファイルの保存先を選んでください。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="637" />
      <source>Save the signed file under a new name: the original is kept.</source>
      <translation>署名済みファイルは別の名前で保存してください。元のファイルはそのまま残ります。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="639" />
      <source>Choose a key file.</source>
      <translation>鍵ファイルを選んでください。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="641" />
      <source>Choose a token.</source>
      <translation>トークンを選んでください。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="643" />
      <source>Enter the address of the signing service and the credential.</source>
      <translation>署名サービスのアドレスとクレデンシャルを入力してください。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="645" />
      <source>Draw a box on the page, or choose an invisible signature.</source>
      <translation>ページ上で位置を指定するか、表示しない署名を選んでください。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="671" />
      <source>Replace the file?</source>
      <translation>ファイルを置き換えますか？</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="672" />
      <source>%1 already exists. Replace it with the new signed file?</source>
      <translation>%1 は既に存在します。新しい署名済みファイルで置き換えますか？</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="694" />
      <source>My Number card</source>
      <translation>マイナンバーカード</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="726" />
      <source>Cancelling…</source>
      <translation>キャンセルしています…</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="763" />
      <source>No timestamp</source>
      <translation>タイムスタンプなし</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="765" />
      <source>The timestamp server did not answer, so nothing was saved.</source>
      <translation>タイムスタンプサーバーが応答しなかったため、何も保存していません。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="772" />
      <source>Try the next server: %1</source>
      <translation>次のサーバーで再試行：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="776" />
      <source>Servers tried in turn: %1</source>
      <translation>順に試すサーバー：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="781" />
      <source>Continue without a timestamp (PAdES B-B)</source>
      <translation>タイムスタンプなしで続行（PAdES B-B）</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="794" />
      <source>Not signed: no timestamp server answered.</source>
      <translation>署名していません。タイムスタンプサーバーが応答しませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="807" />
      <source>Sealed and saved</source>
      <translation>eシールを付けて保存しました</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="807" />
      <source>Signed and saved</source>
      <translation>署名して保存しました</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="812" />
      <source>Signed as: %1</source>
      <translation>署名者：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/sign_view.py" line="814" />
      <source>Checking the new signature…</source>
      <translation>新しい署名を検証しています…</translation>
    </message>
  </context>
  <context>
    <name>TemplateFields</name>
    <message>
      <location filename="../../desktop/template_fields.py" line="79" />
      <source>Signer's name</source>
      <translation>署名者の名前</translation>
    </message>
    <message>
      <location filename="../../desktop/template_fields.py" line="80" />
      <source>Date and time of signing</source>
      <translation>署名日時</translation>
    </message>
    <message>
      <location filename="../../desktop/template_fields.py" line="81" />
      <source>Reason</source>
      <translation>理由</translation>
    </message>
    <message>
      <location filename="../../desktop/template_fields.py" line="82" />
      <source>Location</source>
      <translation>場所</translation>
    </message>
    <message>
      <location filename="../../desktop/template_fields.py" line="83" />
      <source>Organisation</source>
      <translation>組織</translation>
    </message>
    <message>
      <location filename="../../desktop/template_fields.py" line="90" />
      <source>Insert field</source>
      <translation>項目を挿入</translation>
    </message>
  </context>
  <context>
    <name>TrustChip</name>
    <message>
      <location filename="../../desktop/trust_chip.py" line="30" />
      <source>Trusted lists: offline (the last update reached no server)</source>
      <translation>トラストリスト：オフライン（前回の更新ではどのサーバーにも接続できませんでした）</translation>
    </message>
    <message>
      <location filename="../../desktop/trust_chip.py" line="32" />
      <source>Trusted lists: never downloaded (only the copy shipped with Shomei)</source>
      <translation>トラストリスト：未ダウンロード（Shomei 同梱のものだけです）</translation>
    </message>
    <message>
      <location filename="../../desktop/trust_chip.py" line="34" />
      <source>Trusted lists: out of date</source>
      <translation>トラストリスト：期限切れ</translation>
    </message>
    <message>
      <location filename="../../desktop/trust_chip.py" line="37" />
      <source>Trusted lists: updated today</source>
      <translation>トラストリスト：本日更新済み</translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/trust_chip.py" line="38" />
      <source>Trusted lists: %n day(s) old</source>
      <translation>
        <numerusform>トラストリスト：%n 日前に更新</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../desktop/trust_chip.py" line="39" />
      <source>Trusted lists: not used</source>
      <translation>トラストリスト：使用していません</translation>
    </message>
    <message>
      <location filename="../../desktop/trust_chip.py" line="57" />
      <source>Update now</source>
      <translation>今すぐ更新</translation>
    </message>
    <message>
      <location filename="../../desktop/trust_chip.py" line="59" />
      <source>Update the trusted lists now</source>
      <translation>トラストリストを今すぐ更新</translation>
    </message>
    <message>
      <location filename="../../desktop/trust_chip.py" line="103" />
      <source>Trusted lists: updating…</source>
      <translation>トラストリスト：更新中…</translation>
    </message>
  </context>
  <context>
    <name>ValidationView</name>
    <message>
      <location filename="../../desktop/validation_view.py" line="371" />
      <source>Update now</source>
      <translation>今すぐ更新</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="387" />
      <source>Save report (PDF)…</source>
      <translation>レポートを保存（PDF）…</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="388" />
      <source>Save ETSI report (XML)…</source>
      <translation>ETSI レポートを保存（XML）…</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="389" />
      <source>Save JSON…</source>
      <translation>JSON を保存…</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="390" />
      <source>Sign this document…</source>
      <translation>この文書に署名…</translation>
    </message>
  </context>
  <context>
    <name>batch</name>
    <message numerus="yes">
      <location filename="../../desktop/batch.py" line="89" />
      <source>%n file(s)</source>
      <translation>
        <numerusform>ファイル %n 件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/batch.py" line="91" />
      <source>%n checked</source>
      <translation>
        <numerusform>検証済み %n 件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/batch.py" line="93" />
      <source>%n valid</source>
      <translation>
        <numerusform>有効 %n 件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/batch.py" line="94" />
      <source>%n with warnings</source>
      <translation>
        <numerusform>警告あり %n 件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/batch.py" line="95" />
      <source>%n cannot be confirmed</source>
      <translation>
        <numerusform>確認できない %n 件</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../../desktop/batch.py" line="96" />
      <source>%n NOT valid</source>
      <translation>
        <numerusform>無効 %n 件</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="114" />
      <source>File</source>
      <translation>ファイル</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="115" />
      <source>Result</source>
      <translation>結果</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="116" />
      <source>Signatures</source>
      <translation>署名数</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="117" />
      <source>Signed by</source>
      <translation>署名者</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="118" />
      <source>Time</source>
      <translation>日時</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="119" />
      <source>Notes</source>
      <translation>注記</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="143" />
      <source>Waiting…</source>
      <translation>待機中…</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="146" />
      <source>Could not be checked</source>
      <translation>検証できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop/batch.py" line="148" />
      <source>Not signed</source>
      <translation>署名なし</translation>
    </message>
  </context>
  <context>
    <name>certificate</name>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="59" />
      <source>Certificate…</source>
      <translation>証明書…</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="63" />
      <source>Timestamp certificate…</source>
      <translation>タイムスタンプの証明書…</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="139" />
      <source>unknown</source>
      <translation>不明</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="144" />
      <source>Digital signature</source>
      <translation>デジタル署名</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="145" />
      <source>Non-repudiation (content commitment)</source>
      <translation>否認防止（コンテンツコミットメント）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="146" />
      <source>Key encipherment</source>
      <translation>鍵の暗号化</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="147" />
      <source>Data encipherment</source>
      <translation>データの暗号化</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="148" />
      <source>Key agreement</source>
      <translation>鍵共有</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="149" />
      <source>Certificate signing</source>
      <translation>証明書への署名</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="150" />
      <source>CRL signing</source>
      <translation>CRLへの署名</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="151" />
      <source>Encipher only</source>
      <translation>暗号化のみ</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="152" />
      <source>Decipher only</source>
      <translation>復号のみ</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="155" />
      <source>TLS server authentication</source>
      <translation>TLSサーバー認証</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="156" />
      <source>TLS client authentication</source>
      <translation>TLSクライアント認証</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="157" />
      <source>Code signing</source>
      <translation>コード署名</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="158" />
      <source>Email protection</source>
      <translation>電子メールの保護</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="159" />
      <source>Time stamping</source>
      <translation>タイムスタンプ</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="160" />
      <source>OCSP signing</source>
      <translation>OCSP応答への署名</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="163" />
      <source>electronic signatures (esign)</source>
      <translation>電子署名用（esign）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="164" />
      <source>electronic seals (eseal)</source>
      <translation>電子シール用（eseal）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="165" />
      <source>website authentication (web)</source>
      <translation>ウェブサイト認証用（web）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="171" />
      <source>(not in the certificate)</source>
      <translation>（証明書に記載なし）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="173" />
      <source>(none)</source>
      <translation>（なし）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="182" />
      <source>The QC statements cannot be read</source>
      <translation>QC宣言を読み取れません</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="185" />
      <source>EU qualified certificate (QcCompliance)</source>
      <translation>EUの適格証明書（QcCompliance）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="187" />
      <source>Private key in a qualified device, QSCD (QcSSCD)</source>
      <translation>秘密鍵は適格署名生成装置（QSCD）内にあります（QcSSCD）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="190" />
      <source>Type: %1</source>
      <translation>種類：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="193" />
      <source>Qualified under the law of %1, not EU law</source>
      <translation>EU法ではなく%1の法令に基づく適格証明書</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="203" />
      <source>a trust anchor</source>
      <translation>トラストアンカー</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="206" />
      <source>EU trusted list (%1)</source>
      <translation>EUトラストリスト（%1）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="208" />
      <source>Japanese trust list: %1</source>
      <translation>日本のトラストリスト：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="210" />
      <source>your trusted certificates (%1)</source>
      <translation>あなたが信頼する証明書（%1）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="215" />
      <source>no status</source>
      <translation>状態なし</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="217" />
      <source>%1: %2, by %3; status “%4” on %5</source>
      <translation>%1：%2（%3）、%5時点の状態は「%4」</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="248" />
      <source>Certificate of the time-stamping authority</source>
      <translation>タイムスタンプ局の証明書</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="250" />
      <source>Certificate of the signer</source>
      <translation>署名者の証明書</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="257" />
      <source>Certification path</source>
      <translation>証明書パス</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="281" />
      <source>Subject</source>
      <translation>発行先</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="282" />
      <source>Issuer</source>
      <translation>発行者</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="283" />
      <source>Serial number</source>
      <translation>シリアル番号</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="284" />
      <source>Valid</source>
      <translation>有効期間</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="285" />
      <source>At the validation time</source>
      <translation>検証時点</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="286" />
      <source>Kind</source>
      <translation>種別</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="287" />
      <source>Public key</source>
      <translation>公開鍵</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="288" />
      <source>Key usage</source>
      <translation>鍵用途</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="289" />
      <source>Extended key usage</source>
      <translation>拡張鍵用途</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="290" />
      <source>Certificate policies</source>
      <translation>証明書ポリシー</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="291" />
      <source>QC statements</source>
      <translation>QC宣言</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="292" />
      <source>Revocation</source>
      <translation>失効確認</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="293" />
      <source>Trust anchor</source>
      <translation>トラストアンカー</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="294" />
      <source>EU qualification</source>
      <translation>EUの適格性</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="295" />
      <source>EU trusted list</source>
      <translation>EUトラストリスト</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="296" />
      <source>Japan</source>
      <translation>日本</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="297" />
      <source>SHA-256 fingerprint</source>
      <translation>SHA-256フィンガープリント</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="315" />
      <source>Export…</source>
      <translation>エクスポート…</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="318" />
      <source>Trust this certificate…</source>
      <translation>この証明書を信頼…</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="355" />
      <source>%1 to %2</source>
      <translation>%1から%2まで</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="363" />
      <source>This certificate cannot be read</source>
      <translation>この証明書を読み取れません</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="365" />
      <source>Not in this result (it was read from a saved report)</source>
      <translation>この結果には含まれていません（保存されたレポートから読み込んだ結果です）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="386" />
      <source>Yes: %1</source>
      <translation>はい：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="386" />
      <source>No</source>
      <translation>いいえ</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="397" />
      <source>Valid at the validation time (%1)</source>
      <translation>検証時点で有効（%1）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="398" />
      <source>EXPIRED at the validation time (%1)</source>
      <translation>検証時点で期限切れ（%1）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="399" />
      <source>NOT YET VALID at the validation time (%1)</source>
      <translation>検証時点ではまだ有効期間前（%1）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="403" />
      <source>It was valid when signed (%1)</source>
      <translation>署名時点では有効でした（%1）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="408" />
      <source>Certificate authority (self-signed root)</source>
      <translation>認証局（自己署名のルート）</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="410" />
      <source>Certificate authority</source>
      <translation>認証局</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="411" />
      <source>End entity</source>
      <translation>エンドエンティティ</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="450" />
      <source>Not assessed</source>
      <translation>評価していません</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="452" />
      <source>No EU trusted list names this certificate or its issuers</source>
      <translation>この証明書とその発行者を載せたEUトラストリストはありません</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="456" />
      <source>Chains to the Japanese trust anchor %1</source>
      <translation>日本のトラストアンカー「%1」につながります</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="458" />
      <source>Does not chain to a Japanese trust anchor</source>
      <translation>日本のトラストアンカーにはつながりません</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="475" />
      <source>PEM certificate (*.pem *.crt)</source>
      <translation>PEM形式の証明書 (*.pem *.crt)</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="476" />
      <source>DER certificate (*.cer *.der)</source>
      <translation>DER形式の証明書 (*.cer *.der)</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="481" />
      <source>Export the certificate</source>
      <translation>証明書のエクスポート</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="499" />
      <source>Saved %1</source>
      <translation>%1 に保存しました</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="511" />
      <source>Trust this certificate?</source>
      <translation>この証明書を信頼しますか？</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="513" />
      <source>Shomei will treat “%1” as a trust anchor on this computer: every signature whose certificate chain reaches it will count as trusted, as if a trusted list named it.</source>
      <translation>Shomeiはこのコンピューターで「%1」をトラストアンカーとして扱います。この証明書につながる証明書チェーンの署名は、トラストリストに載っている場合と同じく信頼されたものとみなされます。</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="520" />
      <source>Only do this if you know who runs this certificate and you checked its SHA-256 fingerprint with them another way:
%1

It applies to checks from now on; you can remove it in Settings › Trust.</source>
      <translation>この証明書の運営者を知っていて、そのSHA-256フィンガープリントを別の手段で運営者に確認した場合にだけ信頼してください：
%1

これ以降の検証に適用されます。「設定」›「トラスト」で削除できます。</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="529" />
      <source>Trust</source>
      <translation>信頼する</translation>
    </message>
    <message>
      <location filename="../../desktop/certificate_dialog.py" line="550" />
      <source>You trust this certificate: checks from now on use it as a trust anchor.</source>
      <translation>この証明書を信頼しました。これ以降の検証でトラストアンカーとして使います。</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <location filename="../../desktop/errors_ui.py" line="40" />
      <source>Cancelled.</source>
      <translation>キャンセルしました。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="41" />
      <source>The password is wrong.</source>
      <translation>パスワードが違います。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="42" />
      <source>The PIN is locked. Unblock the card with its PUK.</source>
      <translation>PIN がロックされています。PUK でカードのロックを解除してください。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="43" />
      <source>The PIN was not accepted.</source>
      <translation>PIN が受け付けられませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="44" />
      <source>The smart card or token could not be used.</source>
      <translation>IC カードまたはトークンを使えませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="45" />
      <source>The key file could not be read.</source>
      <translation>鍵ファイルを読み取れませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="46" />
      <source>The remote signing service failed.</source>
      <translation>リモート署名サービスでエラーが発生しました。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="47" />
      <source>The key could not be used.</source>
      <translation>鍵を使えませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="48" />
      <source>The certificate has expired.</source>
      <translation>証明書の有効期限が切れています。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="49" />
      <source>The certificate has been revoked.</source>
      <translation>証明書は失効しています。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="50" />
      <source>The certificate is not trusted.</source>
      <translation>証明書は信頼されていません。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="51" />
      <source>The certificate cannot be used for this signature.</source>
      <translation>この証明書はこの署名には使えません。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="52" />
      <source>This file is not a PDF document.</source>
      <translation>このファイルは PDF 文書ではありません。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="53" />
      <source>This PDF file is damaged or incomplete.</source>
      <translation>この PDF ファイルは破損しているか、不完全です。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="54" />
      <source>This PDF file is encrypted.</source>
      <translation>この PDF ファイルは暗号化されています。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="55" />
      <source>The signature field was not found.</source>
      <translation>署名フィールドが見つかりませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="56" />
      <source>The signature field is already signed.</source>
      <translation>この署名フィールドはすでに署名済みです。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="57" />
      <source>The document cannot be used.</source>
      <translation>この文書は使えません。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="58" />
      <source>The time-stamping server failed.</source>
      <translation>タイムスタンプサーバーでエラーが発生しました。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="59" />
      <source>Revocation information could not be fetched.</source>
      <translation>失効情報を取得できませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="60" />
      <source>A network service failed.</source>
      <translation>ネットワークサービスでエラーが発生しました。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="61" />
      <source>The result could not be saved.</source>
      <translation>結果を保存できませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="62" />
      <source>Signing failed.</source>
      <translation>署名に失敗しました。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="63" />
      <source>Validation failed.</source>
      <translation>検証に失敗しました。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="64" />
      <source>The trusted lists could not be loaded.</source>
      <translation>トラストリストを読み込めませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="65" />
      <source>The settings could not be read.</source>
      <translation>設定を読み取れませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="66" />
      <source>The operation failed.</source>
      <translation>処理に失敗しました。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="67" />
      <source>A file could not be read or written.</source>
      <translation>ファイルの読み書きができませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="72" />
      <source>An unexpected error occurred.</source>
      <translation>予期しないエラーが発生しました。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="96" />
      <source>Shomei</source>
      <translation>Shomei</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="154" />
      <source>Something went wrong inside Shomei. Your files were not changed.</source>
      <translation>Shomei の内部で問題が発生しました。ファイルは変更されていません。</translation>
    </message>
    <message>
      <location filename="../../desktop/errors_ui.py" line="156" />
      <source>The details were written to the log file:</source>
      <translation>詳細はログファイルに記録しました：</translation>
    </message>
  </context>
  <context>
    <name>validation</name>
    <message>
      <location filename="../../desktop/validation_view.py" line="54" />
      <source>unknown</source>
      <translation>不明</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="65" />
      <source>Qualified electronic signature (QES)</source>
      <translation>適格電子署名（QES）</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="66" />
      <source>Qualified electronic seal</source>
      <translation>適格eシール</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="67" />
      <source>Advanced signature with a qualified certificate</source>
      <translation>適格証明書による高度電子署名</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="68" />
      <source>Advanced seal with a qualified certificate</source>
      <translation>適格証明書による高度eシール</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="69" />
      <source>Advanced electronic signature</source>
      <translation>高度電子署名</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="70" />
      <source>Advanced electronic seal</source>
      <translation>高度eシール</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="71" />
      <source>Qualified electronic timestamp</source>
      <translation>適格タイムスタンプ</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="72" />
      <source>Timestamp (not qualified)</source>
      <translation>タイムスタンプ（適格ではない）</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="73" />
      <source>Not qualified</source>
      <translation>適格ではない</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="74" />
      <source>Not on an EU trusted list</source>
      <translation>EU トラストリストに掲載なし</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="75" />
      <source>Qualification cannot be determined</source>
      <translation>適格性を判断できません</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="76" />
      <source>Not assessed</source>
      <translation>未評価</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="82" />
      <source>Document timestamp</source>
      <translation>文書タイムスタンプ</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="84" />
      <source>Signature (a person)</source>
      <translation>署名（個人）</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="85" />
      <source>Seal (an organisation)</source>
      <translation>eシール（組織）</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="86" />
      <source>Signature</source>
      <translation>署名</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="92" />
      <source>Not a PAdES baseline signature</source>
      <translation>PAdES ベースライン署名ではありません</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="135" />
      <source>Field</source>
      <translation>フィールド</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="137" />
      <source>Indication</source>
      <translation>判定（Indication）</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="139" />
      <source>Format</source>
      <translation>形式</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="142" />
      <source>Algorithms</source>
      <translation>アルゴリズム</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="143" />
      <source>Reason</source>
      <translation>理由</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="143" />
      <source>Location</source>
      <translation>場所</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="147" />
      <source>Certificate chain</source>
      <translation>証明書チェーン</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="154" />
      <source>valid %1 to %2</source>
      <translation>有効期間 %1 ～ %2</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="159" />
      <source>revocation: %1 (%2)</source>
      <translation>失効確認：%1（%2）</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="165" />
      <source>trust anchor from %1</source>
      <translation>トラストアンカー（%1）</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="171" />
      <source>Timestamps</source>
      <translation>タイムスタンプ</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="175" />
      <source>intact, trusted</source>
      <translation>改ざんなし・信頼済み</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="175" />
      <source>not trusted</source>
      <translation>信頼されていません</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="181" />
      <source>EU qualification notes</source>
      <translation>EU 適格性に関する注記</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="263" />
      <source>This file could not be checked</source>
      <translation>このファイルは検証できませんでした</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="265" />
      <source>This document is not signed</source>
      <translation>この文書には署名がありません</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="312" />
      <source>Who</source>
      <translation>署名者</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="313" />
      <source>Type</source>
      <translation>種類</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="314" />
      <source>Time</source>
      <translation>日時</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="315" />
      <source>Level</source>
      <translation>レベル</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="316" />
      <source>Changed after signing</source>
      <translation>署名後の変更</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="322" />
      <source>EU</source>
      <translation>EU</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="324" />
      <source>Japan</source>
      <translation>日本</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="333" />
      <source>Details</source>
      <translation>詳細</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="337" />
      <source>Show details</source>
      <translation>詳細を表示</translation>
    </message>
    <message>
      <location filename="../../desktop/validation_view.py" line="458" />
      <source>Select to show this signature's field in the document</source>
      <translation>選択すると、この署名のフィールドを文書内に示します</translation>
    </message>
  </context>
  <context>
    <name>viewer</name>
    <message>
      <location filename="../../desktop/document_pane.py" line="61" />
      <source>View signed version</source>
      <translation>署名された版を表示</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="64" />
      <source>Show exactly what the selected signature covers, as the signer saw it</source>
      <translation>選択した署名が対象とする内容を、署名者が見たとおりに表示します</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="66" />
      <source>Show current file</source>
      <translation>現在のファイルを表示</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="68" />
      <source>Compare</source>
      <translation>比較</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="71" />
      <source>Mark the pages that look different from the selected signature's signed version</source>
      <translation>選択した署名の署名された版と見た目が異なるページに印を付けます</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="153" />
      <source>Zoom out (Ctrl+minus)</source>
      <translation>縮小（Ctrl+マイナス）</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="158" />
      <source>Zoom in (Ctrl+plus)</source>
      <translation>拡大（Ctrl+プラス）</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="160" />
      <source>Fit width</source>
      <translation>幅に合わせる</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="160" />
      <source>Fit the pages to the width (Ctrl+0)</source>
      <translation>ページを幅に合わせる（Ctrl+0）</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="163" />
      <source>Fit page</source>
      <translation>ページ全体</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="163" />
      <source>Show a whole page at a time</source>
      <translation>ページ全体を一度に表示します</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="208" />
      <source>Zoom: %1%</source>
      <translation>ズーム：%1%</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="121" />
      <source>The pages of this file cannot be shown.</source>
      <translation>このファイルのページを表示できません。</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="168" />
      <source>Where this signature's field is could not be read from the file.</source>
      <translation>この署名のフィールドの位置をファイルから読み取れませんでした。</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="172" />
      <source>This signature is invisible: it has no place on a page.</source>
      <translation>この署名は不可視署名です。ページ上に表示位置がありません。</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="175" />
      <source>Page %1: the signature's field is outlined.</source>
      <translation>%1 ページ目：署名のフィールドを枠で示しています。</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="208" />
      <source>The signed version cannot be shown.</source>
      <translation>署名された版を表示できません。</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="212" />
      <source>The signed version of %1: the file as it was signed (%2 bytes).</source>
      <translation>%1 の署名された版：署名された時点のファイルです（%2 バイト）。</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="245" />
      <source>Pages that differ from the signed version: %1</source>
      <translation>署名された版と異なるページ：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="249" />
      <source>No page differs from the signed version.</source>
      <translation>署名された版と異なるページはありません。</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="280" />
      <source>Current file</source>
      <translation>現在のファイル</translation>
    </message>
    <message>
      <location filename="../../desktop/document_pane.py" line="280" />
      <source>Signed version (read-only)</source>
      <translation>署名された版（読み取り専用）</translation>
    </message>
    <message>
      <location filename="../../desktop/pdf_pages.py" line="184" />
      <source>Changed since signing</source>
      <translation>署名後に変更あり</translation>
    </message>
    <message>
      <location filename="../../desktop/pdf_pages.py" line="48" />
      <source>Document pages</source>
      <translation>文書のページ</translation>
    </message>
  </context>
</TS>
