/* NUCLEO-L476RG: STM32L476RG, 80 MHz from HSI16 x PLL, USART2 (PA2/PA3) to the ST-LINK
 * virtual COM port, trigger on PA0 (Arduino A0), model in flash bank 2. */
#ifndef FW_NUCLEO_BOARD_H
#define FW_NUCLEO_BOARD_H
#define BOARD_ID "nucleo-l476rg"
#define BOARD_CLOCK_HZ 80000000u
#define BOARD_BAUD 921600u
#define BOARD_TRIGGER_PIN 0u                     /* PA0 */
#define FLASH_BANK2_ADDR 0x08080000u             /* 512 KiB, 256 pages of 2 KiB */
#define FLASH_PAGE_BYTES 2048u
/* Bank 2 minus its last page, which holds the commit record (model_store.c). */
#define BOARD_MODEL_BYTES (512u * 1024u - FLASH_PAGE_BYTES)
#endif
